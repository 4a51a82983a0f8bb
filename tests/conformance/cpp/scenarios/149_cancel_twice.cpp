// Twin of py/scenarios/149_cancel_twice.py: a task cancelled twice while it waits raises one
// CancelledError with the first message, and nothing is left to cancel its next await (a
// sleep and an Event.wait park the task; gather's children are parked sleeps too).
#include "aio/gather.hpp"
#include "aio/sync/event.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Event ev;

aio::Task<void> victim(std::string name, bool use_event) {
  try {
    if (use_event)
      co_await ev.wait();
    else
      co_await aio::sleep(1);
  } catch (const aio::CancelledError&) {
    log(name, "caught", fmt_exc(), "cancelling", aio::current_task().cancelling());
  }
  try {
    co_await aio::sleep(0);
    log(name, "next await ok");
  } catch (const aio::CancelledError&) {
    log(name, "next await cancelled", fmt_exc());
  }
}

aio::Task<void> child(double d) { co_await aio::sleep(d); }

aio::Task<void> main_() {
  for (std::string name : {"sleep", "event"}) {
    auto t = aio::create_task(victim(name, name == "event"));
    co_await aio::sleep(0);
    log({name, "cancel", t.cancel("first"), t.cancel("second"), "cancelling", t.cancelling()});
    co_await t;
  }
  std::vector<aio::Task<void>> ts;
  for (int i = 0; i < 2; ++i) ts.push_back(aio::create_task(child(1)));
  auto g = aio::gather(ts);
  co_await aio::sleep(0);
  log({"gather cancel", g.cancel("first"), g.cancel("second")});
  try {
    co_await g;
  } catch (const aio::CancelledError&) {
    log("gather raised", fmt_exc(), "g.cancelled", g.cancelled());
  }
  std::vector<bool> cancelled;
  for (auto& t : ts) cancelled.push_back(t.cancelled());
  log("children", cancelled);
}
}  // namespace

AIO_SCENARIO("149_cancel_twice") { run(main_); }
