// The "synchronisation" demos: Lock, Semaphore and Event between tasks of one
// loop, ported from the asyncio tutorials (/work/shared/seeds). Each function
// keeps the shape of its Python twin in tests/conformance/py/scenarios/.
//
// `async with lock:` is `auto guard = co_await lock.scoped();`: the guard
// releases the lock when it goes out of scope, however the block is left.
#include <algorithm>
#include <string>
#include <vector>

#include "aio/demos/demo.hpp"
#include "aio/gather.hpp"
#include "aio/sleep.hpp"
#include "aio/sync/event.hpp"
#include "aio/sync/lock.hpp"
#include "aio/sync/semaphore.hpp"
#include "aio/wait.hpp"
#include "support.hpp"

namespace aio::demos {
namespace {

using support::make_demo;
using support::with_main;
using support::with_program;

// ---- lock (044) -------------------------------------------------------------

// The Python program's globals.
struct Shared {
  std::vector<std::string> l;
  Lock lock;  // a coroutine lock
};

Task<std::string> work(DemoContext& ctx, Shared& g, std::string name) {
  ctx.print("lalalalalalalala");  // shows where the lock's control starts
  auto guard = co_await g.lock.scoped();
  ctx.print(name + " start");  // printed the first time the coroutine runs
  if (std::find(g.l.begin(), g.l.end(), "x") != g.l.end())  // if so
    co_return name;                                       // return at once, go no further
  co_await sleep(0);  // block for 0 seconds: switch coroutines
  ctx.print("----------");
  g.l.push_back("x");
  ctx.print(name + " end");
  co_return name;
}

Task<void> one(DemoContext& ctx, Shared& g) {
  std::string name = co_await work(ctx, g, "one");
  ctx.print(name + " ok");
}

Task<void> two(DemoContext& ctx, Shared& g) {
  std::string name = co_await work(ctx, g, "two");
  ctx.print(name + " ok");
}

Task<void> lock_amain(DemoContext& ctx) {
  Shared g;
  std::vector<Task<void>> tasks{ensure_future(one(ctx, g)), ensure_future(two(ctx, g))};
  co_await wait(tasks);
}

void lock_program(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  loop.run_until_complete(lock_amain(ctx));
}

// ---- semaphore-workers (050) ------------------------------------------------

Task<int> worker(DemoContext& ctx, int i, Semaphore& sem) {
  ctx.print("worker", i, "waiting");
  {
    auto guard = co_await sem.scoped();  // async with sem:
    ctx.print("worker", i, "working");
    co_await sleep(1 + i % 2);
    ctx.print("worker", i, "finished");
  }
  co_return i * 10;
}

Task<void> semaphore_workers(DemoContext& ctx) {
  Semaphore sem(ctx.param("limit", 2L));
  std::vector<Task<int>> workers;
  for (int i = 0; i < ctx.param("workers", 5); ++i) workers.push_back(worker(ctx, i, sem));
  std::vector<int> res = co_await gather(std::move(workers));
  ctx.print(res);
}

// ---- event (051) ------------------------------------------------------------

Task<void> waiter(DemoContext& ctx, std::string name, Event& ev) {
  ctx.print(name, "waiting for event");
  co_await ev.wait();
  ctx.print(name, "event received", ev.is_set());
}

Task<void> setter(DemoContext& ctx, Event& ev) {
  co_await sleep(ctx.param("delay", 1.0));
  ctx.print("setting event");
  ev.set();
  ctx.print("event set");
}

Task<void> event_main(DemoContext& ctx) {
  Event ev;
  std::vector<Task<void>> waiters;
  for (int i = 0; i < ctx.param("waiters", 3); ++i)
    waiters.push_back(create_task(waiter(ctx, "w" + py::str(i), ev)));
  // gather(setter(ev), *waiters)
  std::vector<Task<void>> all;
  all.push_back(setter(ctx, ev));
  for (auto& w : waiters) all.push_back(w);
  co_await gather(std::move(all));
  ctx.print("all done");
}

}  // namespace

void add_synchronisation_demos(std::vector<Demo>& out) {
  auto make = [](std::string name, std::string scenario, std::string title, std::string summary) {
    return make_demo(std::move(name), "synchronisation", std::move(scenario), std::move(title), std::move(summary));
  };
  out.push_back(with_program(make("lock", "044_seed_lock", "A Lock lets one task at a time into a block",
                                  "one takes the lock and yields inside it; two queues at the lock and gets in "
                                  "only once one has released it, then finds the work done."),
                             lock_program));
  {
    Demo d = with_main(make("semaphore-workers", "050_seed_semaphore_workers", "A Semaphore limits concurrency",
                            "Five workers share a Semaphore(2): two work at a time, and each one leaving lets "
                            "the longest waiting one in."),
                       semaphore_workers);
    d.params = {{"workers", ParamKind::integer, "5", "how many workers"},
                {"limit", ParamKind::integer, "2", "how many may work at once"}};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_main(make("event", "051_seed_event", "An Event wakes every waiter",
                            "Waiters block on ev.wait() until the setter calls ev.set(); then all of them resume, "
                            "in the order they started waiting."),
                       event_main);
    d.params = {{"waiters", ParamKind::integer, "3", "how many tasks wait"},
                {"delay", ParamKind::number, "1.0", "when the event is set"}};
    out.push_back(std::move(d));
  }
}

}  // namespace aio::demos
