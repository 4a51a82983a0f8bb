// The "cancellation" demos: cancelling tasks, shielding them from it, and
// time limits (wait_for, timeout), ported from the asyncio tutorials
// (/work/shared/seeds). Each function keeps the shape of its Python twin in
// tests/conformance/py/scenarios/.
//
// C++ cannot co_await inside a catch block; none of these handlers needs to,
// so `except CancelledError: log(...); raise` is a catch that rethrows.
#include <exception>
#include <string>

#include "aio/errors.hpp"
#include "aio/shield.hpp"
#include "aio/sleep.hpp"
#include "aio/timeouts.hpp"
#include "aio/wait_for.hpp"
#include "support.hpp"

namespace aio::demos {
namespace {

using support::Finally;
using support::make_demo;
using support::with_main;

// fmt_exc(e): "Type" or "Type: message".
std::string fmt_exc() { return describe_exception(std::current_exception()); }

// ---- shield (014) -----------------------------------------------------------

Task<std::string> something(DemoContext& ctx) {
  ctx.print("something start");
  co_await sleep(ctx.param("work", 2.0));
  ctx.print("something done");
  co_return "result";
}

Task<void> waiter(DemoContext& ctx, Task<std::string> inner) {
  try {
    std::string res = co_await shield(inner);
    ctx.print("waiter got", res);
  } catch (const CancelledError&) {
    ctx.print("waiter cancelled; inner done?", inner.done());
    throw;
  }
}

Task<void> shield_main(DemoContext& ctx) {
  Task<std::string> inner = ensure_future(something(ctx));
  Task<void> w = create_task(waiter(ctx, inner));
  co_await sleep(ctx.param("cancel_after", 1.0));
  w.cancel();
  try {
    co_await w;
  } catch (const CancelledError&) {
    ctx.print("main: waiter cancelled", w.cancelled());
  }
  std::string res = co_await inner;
  ctx.print("main: inner result", res);
}

// ---- wait-for-timeout (015) -------------------------------------------------

Task<void> eternity_logging(DemoContext& ctx) {
  // Sleep for one hour
  try {
    co_await sleep(3600);
    ctx.print("yay!");
  } catch (const CancelledError&) {
    ctx.print("eternity cancelled");
    throw;
  }
}

Task<void> wait_for_timeout(DemoContext& ctx) {
  // Wait for at most 1 second
  try {
    co_await wait_for(eternity_logging(ctx), ctx.param("timeout", 1.0));
  } catch (const TimeoutError&) {
    ctx.print("timeout!", fmt_exc());
  }
}

// ---- cancel-task (052) ------------------------------------------------------

Task<void> work(DemoContext& ctx) {
  ctx.print("work start");
  Finally finally{[&ctx] { ctx.print("work finally"); }};
  try {
    co_await sleep(ctx.param("work", 10.0));
    ctx.print("work finished");
  } catch (const CancelledError&) {
    ctx.print("work caught", fmt_exc());
    throw;
  }
}

Task<void> cancel_task(DemoContext& ctx) {
  Task<void> task = create_task(work(ctx));
  co_await sleep(ctx.param("cancel_after", 1.0));
  ctx.print("cancel returned", task.cancel());
  // cancel() only asks: the task is not cancelled until it has run again.
  ctx.print("cancelled?", task.cancelled(), "done?", task.done());
  try {
    co_await task;
  } catch (const CancelledError&) {
    ctx.print("main caught", fmt_exc());
  }
  ctx.print("cancelled?", task.cancelled(), "done?", task.done());
}

// ---- timeout (054) ----------------------------------------------------------

Task<void> eternity(DemoContext& ctx) {
  co_await sleep(3600);
  ctx.print("yay!");
}

Task<void> timeout_main(DemoContext& ctx) {
  // async with asyncio.timeout(1.0) as cm: await eternity()
  Timeout cm = timeout(ctx.param("timeout", 1.0));
  try {
    co_await cm.run(eternity(ctx));
  } catch (const TimeoutError&) {
    ctx.print("timeout!", fmt_exc(), "expired", cm.expired());
  }
}

}  // namespace

void add_cancellation_demos(std::vector<Demo>& out) {
  auto make = [](std::string name, std::string scenario, std::string title, std::string summary) {
    return make_demo(std::move(name), "cancellation", std::move(scenario), std::move(title), std::move(summary));
  };
  {
    Demo d = with_main(make("shield", "014_seed_shield", "shield() protects a task from its awaiter's cancellation",
                            "Cancelling the waiter raises CancelledError in it, but the shielded task goes on and "
                            "main can still await its result."),
                       shield_main);
    d.params = {{"cancel_after", ParamKind::number, "1.0", "when main cancels the waiter"},
                {"work", ParamKind::number, "2.0", "how long the shielded task takes"}};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_main(make("wait-for-timeout", "015_seed_wait_for_timeout", "wait_for() gives up after a timeout",
                            "When the time is up wait_for() cancels the task, waits for it to handle the "
                            "CancelledError, then raises TimeoutError."),
                       wait_for_timeout);
    d.params = {{"timeout", ParamKind::number, "1.0", "seconds wait_for() waits"}};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_main(make("cancel-task", "052_seed_cancel_task", "Cancelling a task that catches CancelledError",
                            "task.cancel() only asks: the task sees CancelledError at its await on its next step, "
                            "runs its except and finally blocks, and is cancelled once it re-raises."),
                       cancel_task);
    d.params = {{"cancel_after", ParamKind::number, "1.0", "when main cancels the task"},
                {"work", ParamKind::number, "10.0", "how long the task would sleep"}};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_main(make("timeout", "054_seed_timeout_cm", "A deadline for a block with timeout()",
                            "timeout(1.0) cancels the block when the deadline passes and turns its "
                            "CancelledError into TimeoutError."),
                       timeout_main);
    d.params = {{"timeout", ParamKind::number, "1.0", "the deadline, in seconds from now"}};
    out.push_back(std::move(d));
  }
}

}  // namespace aio::demos
