// Twin of py/scenarios/152_sync_cancel_woken.py: a waiter cancelled after it was woken but
// before it ran: Lock and Semaphore pass the wakeup on (a newcomer does not jump the queue),
// Condition (3.11) drops the notification and re-acquires the lock before raising; a Condition
// waiter cancelled twice while re-acquiring.
#include "aio/gather.hpp"
#include "aio/sync/condition.hpp"
#include "aio/sync/lock.hpp"
#include "aio/sync/semaphore.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> lock_user(std::string name, aio::Lock& lock) {
  try {
    auto guard = co_await lock.scoped();
    log(name, "has the lock");
    co_await aio::sleep(0);
  } catch (const aio::CancelledError&) {
    log(name, "cancelled, locked", lock.locked());
    throw;
  }
}

aio::Task<void> sem_user(std::string name, aio::Semaphore& sem) {
  try {
    auto guard = co_await sem.scoped();
    log(name, "in, locked", sem.locked());
    co_await aio::sleep(0);
  } catch (const aio::CancelledError&) {
    log(name, "cancelled, locked", sem.locked());
    throw;
  }
}

aio::Task<void> cond_user(std::string name, aio::Condition& cond) {
  auto guard = co_await cond.scoped();
  try {
    co_await cond.wait();
    log(name, "notified, locked", cond.locked());
  } catch (const aio::CancelledError&) {
    log(name, "cancelled, holds lock", cond.locked());
    throw;
  }
}

aio::Task<void> main_() {
  aio::Lock lock;
  co_await lock.acquire();
  std::vector<aio::Task<void>> ts;
  for (int i = 0; i < 3; ++i) ts.push_back(aio::create_task(lock_user("l" + py_str(i), lock)));
  co_await aio::sleep(0);
  lock.release();
  log("released, locked", lock.locked());
  ts[0].cancel();
  ts.push_back(aio::create_task(lock_user("newcomer", lock)));
  co_await aio::gather(aio::return_exceptions, ts);
  log("lock done, locked", lock.locked());

  aio::Semaphore sem(0);
  ts.clear();
  for (int i = 0; i < 4; ++i) ts.push_back(aio::create_task(sem_user("s" + py_str(i), sem)));
  co_await aio::sleep(0);
  sem.release();
  sem.release();
  log("released twice, locked", sem.locked());
  ts[0].cancel();
  ts.push_back(aio::create_task(sem_user("newcomer", sem)));
  co_await aio::sleep(0);
  log("one tick, locked", sem.locked());
  sem.release();
  co_await aio::gather(aio::return_exceptions, ts);
  log("sem done, locked", sem.locked());

  aio::Condition cond;
  ts.clear();
  for (int i = 0; i < 3; ++i) ts.push_back(aio::create_task(cond_user("c" + py_str(i), cond)));
  co_await aio::sleep(0);
  {
    auto guard = co_await cond.scoped();
    cond.notify(2);
    ts[0].cancel();
    log("notified 2, cancelled c0");
  }
  co_await aio::sleep(0.1);
  log("c2 still waiting", !ts[2].done());
  {
    auto guard = co_await cond.scoped();
    cond.notify_all();
  }
  co_await aio::gather(aio::return_exceptions, ts);
  // cancelled twice: once while waiting, once while re-acquiring
  auto t = aio::create_task(cond_user("c3", cond));
  co_await aio::sleep(0);
  co_await cond.acquire();
  t.cancel();
  co_await aio::sleep(0);
  t.cancel();
  co_await aio::sleep(0);
  log("c3 done", t.done());
  cond.release();
  co_await aio::gather(aio::return_exceptions, t);
  log("c3 cancelled", t.cancelled(), "locked", cond.locked());
}
}  // namespace

AIO_SCENARIO("152_sync_cancel_woken") { run(main_); }
