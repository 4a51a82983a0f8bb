// Twin of py/scenarios/159_condition_cancel_relock.py: a Condition waiter cancelled while
// waiting re-acquires the lock before CancelledError reaches it; notify(2); wait_for with a
// predicate already true; wait() without the lock; Event.wait cancelled.
#include "aio/sync/condition.hpp"
#include "aio/sync/event.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> waiter(std::string name, aio::Condition& cond) {
  auto guard = co_await cond.scoped();
  log(name, "waiting");
  Finally leaving{[name] { log(name, "leaving"); }};
  try {
    co_await cond.wait();
    log(name, "woke, locked", cond.locked());
  } catch (const aio::CancelledError&) {
    log(name, "cancelled, locked", cond.locked());
    throw;
  }
}

aio::Task<void> main_() {
  aio::Condition cond;
  std::vector<aio::Task<void>> ts;
  for (int i = 0; i < 4; ++i) ts.push_back(aio::create_task(waiter("w" + std::to_string(i), cond)));
  co_await aio::sleep(1);
  {
    auto guard = co_await cond.scoped();
    log({"main holds lock, cancel w1 ->", ts[1].cancel()});
    co_await aio::sleep(1);
    log("main releasing");
  }
  co_await aio::sleep(0);
  {
    auto guard = co_await cond.scoped();
    log("notify(2)");
    cond.notify(2);
  }
  co_await aio::sleep(1);
  auto states = [&] {
    std::vector<bool> v;
    for (auto& t : ts) v.push_back(t.done());
    return v;
  };
  log("states", states());
  {
    auto guard = co_await cond.scoped();
    // A str predicate value: an optional stands for its truthiness.
    auto r = co_await cond.wait_for([] { return std::optional<std::string>("already"); });
    log("wait_for without waiting:", r);
    cond.notify_all();
  }
  co_await aio::sleep(1);
  log("states", states(), "w1 cancelled", ts[1].cancelled());
  try {
    co_await cond.wait();
  } catch (const aio::RuntimeError&) {
    log("wait without lock:", fmt_exc());
  }

  aio::Event ev;
  auto e1 = aio::create_task(ev.wait());
  auto e2 = aio::create_task(ev.wait());
  co_await aio::sleep(1);
  e1.cancel();
  co_await aio::sleep(0);
  log("e1 cancelled", e1.cancelled(), "e2 done", e2.done());
  ev.set();
  co_await aio::sleep(0);
  log("e2 result", e2.result());
}
}  // namespace

AIO_SCENARIO("159_condition_cancel_relock") { run(main_); }
