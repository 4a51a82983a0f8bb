// Twin of py/scenarios/164_sync_misuse_messages.py: the exact texts of the errors raised for
// misuse of the sync primitives and queues; Semaphore release past its initial value.
#include "aio/queue.hpp"
#include "aio/sync/barrier.hpp"
#include "aio/sync/condition.hpp"
#include "aio/sync/lock.hpp"
#include "aio/sync/semaphore.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  try {
    aio::Semaphore bad(-1);
  } catch (const aio::ValueError&) {
    log("Semaphore(-1):", fmt_exc());
  }
  aio::Semaphore s(1);
  s.release();
  s.release();
  log("Semaphore(1) released twice, locked", s.locked());
  co_await s.acquire();
  co_await s.acquire();
  co_await s.acquire();
  log("acquired 3, locked", s.locked());
  aio::BoundedSemaphore b(2);
  co_await b.acquire();
  b.release();
  try {
    b.release();
  } catch (const aio::ValueError&) {
    log("BoundedSemaphore:", fmt_exc());
  }
  try {
    aio::BoundedSemaphore bad(-2);
  } catch (const aio::ValueError&) {
    log("BoundedSemaphore(-2):", fmt_exc());
  }
  for (int n : {0, -1}) {
    try {
      aio::Barrier bad(n);
    } catch (const aio::ValueError&) {
      log("Barrier(" + std::to_string(n) + "):", fmt_exc());
    }
  }
  aio::Lock lock;
  try {
    lock.release();
  } catch (const aio::RuntimeError&) {
    log("Lock.release:", fmt_exc());
  }
  aio::Condition cond;
  try {
    co_await cond.wait();
  } catch (const aio::RuntimeError&) {
    log("Condition.wait:", fmt_exc());
  }
  try {
    cond.notify_all();
  } catch (const aio::RuntimeError&) {
    log("Condition.notify_all:", fmt_exc());
  }
  aio::Queue<int> q;
  q.put_nowait(1);
  q.get_nowait();
  q.task_done();
  try {
    q.task_done();
  } catch (const aio::ValueError&) {
    log("task_done:", fmt_exc());
  }
  try {
    q.get_nowait();
  } catch (const aio::QueueEmpty&) {
    log("get_nowait:", fmt_exc());
  }
}
}  // namespace

AIO_SCENARIO("164_sync_misuse_messages") { run(main_); }
