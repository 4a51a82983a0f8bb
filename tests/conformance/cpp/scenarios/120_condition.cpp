// Twin of py/scenarios/120_condition.py: notify(1) wakes the oldest waiter, notify_all the
// rest; wait_for(predicate) returns the predicate's value; notify without the lock raises.
#include "aio/gather.hpp"
#include "aio/sync/condition.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

int n = 0;  // state['n']

aio::Task<void> waiter(std::string name, aio::Condition& cond) {
  auto guard = co_await cond.scoped();  // async with cond:
  log(name, "waiting");
  co_await cond.wait();
  log(name, "woke, n =", n);
}

aio::Task<void> pred_waiter(aio::Condition& cond) {
  auto guard = co_await cond.scoped();
  bool r = co_await cond.wait_for([] { return n >= 3; });
  log("wait_for satisfied", r, "n =", n);
}

aio::Task<void> main_() {
  aio::Condition cond;
  std::vector<aio::Task<void>> ts;
  for (int i = 0; i < 3; ++i) ts.push_back(aio::create_task(waiter("w" + std::to_string(i), cond)));
  auto pt = aio::create_task(pred_waiter(cond));
  co_await aio::sleep(1);
  {
    auto guard = co_await cond.scoped();
    n = 1;
    log("notify(1)");
    cond.notify(1);
  }
  co_await aio::sleep(1);
  {
    auto guard = co_await cond.scoped();
    n = 3;
    log("notify_all");
    cond.notify_all();
  }
  co_await aio::gather(ts[0], ts[1], ts[2], pt);
  try {
    cond.notify();
  } catch (const aio::RuntimeError&) {
    log("notify without lock:", fmt_exc());
  }
}
}  // namespace

AIO_SCENARIO("120_condition") { run(main_); }
