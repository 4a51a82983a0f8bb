// Twin of py/scenarios/118_lock_fairness.py: Lock waiters acquire in FIFO order; a waiter
// cancelled while waiting is skipped; releasing an unlocked lock raises RuntimeError.
#include "aio/gather.hpp"
#include "aio/sync/lock.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> user(std::string name, aio::Lock& lock, double hold) {
  log(name, "wants lock");
  try {
    auto guard = co_await lock.scoped();  // async with lock:
    log(name, "acquired");
    co_await aio::sleep(hold);
    log(name, "releasing");
  } catch (const aio::CancelledError&) {
    log(name, "cancelled while waiting");
    throw;
  }
}

aio::Task<void> main_() {
  aio::Lock lock;
  std::vector<aio::Task<void>> ts;
  for (const char* n : {"u0", "u1", "u2", "u3"}) ts.push_back(aio::create_task(user(n, lock, 1)));
  co_await aio::sleep(0.5);
  log("locked", lock.locked());
  ts[2].cancel();
  co_await aio::gather(aio::return_exceptions, ts);
  std::vector<bool> cancelled;
  for (auto& t : ts) cancelled.push_back(t.cancelled());
  log("locked", lock.locked(), cancelled);
  try {
    lock.release();
  } catch (const aio::RuntimeError&) {
    log("release unlocked:", fmt_exc());
  }
}
}  // namespace

AIO_SCENARIO("118_lock_fairness") { run(main_); }
