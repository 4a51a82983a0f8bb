// Twin of py/scenarios/119_semaphore_fairness.py: Semaphore(2) lets waiters in FIFO order,
// skipping a cancelled one; BoundedSemaphore refuses an extra release with ValueError.
#include "aio/gather.hpp"
#include "aio/sync/semaphore.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> user(std::string name, aio::Semaphore& sem, double hold) {
  log(name, "waiting");
  try {
    auto guard = co_await sem.scoped();  // async with sem:
    log(name, "in");
    co_await aio::sleep(hold);
    log(name, "out");
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    throw;
  }
}

aio::Task<void> main_() {
  aio::Semaphore sem(2);
  std::vector<aio::Task<void>> ts;
  double holds[] = {1, 2, 1, 1, 1};
  for (int i = 0; i < 5; ++i) ts.push_back(aio::create_task(user("u" + std::to_string(i), sem, holds[i])));
  co_await aio::sleep(0.5);
  log("locked", sem.locked());
  ts[3].cancel();
  co_await aio::gather(aio::return_exceptions, ts);
  log("locked", sem.locked());
  aio::BoundedSemaphore b(1);
  co_await b.acquire();
  b.release();
  try {
    b.release();
  } catch (const aio::ValueError&) {
    log("bounded over-release:", fmt_exc());
  }
}
}  // namespace

AIO_SCENARIO("119_semaphore_fairness") { run(main_); }
