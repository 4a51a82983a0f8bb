// Twin of py/scenarios/123_queue_join.py: join() waits until task_done() was called for every
// item; an extra task_done() raises ValueError.
#include <memory>

#include "aio/queue.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

// The worker outlives main_ (it is cancelled as main_ returns and sees the cancellation one
// iteration later), so it shares the queue, as Python's reference does.
aio::Task<void> worker(std::shared_ptr<aio::Queue<int>> q) {
  while (true) {
    int item = co_await q->get();
    co_await aio::sleep(item);
    log("processed", item, "qsize", q->qsize());
    q->task_done();
  }
}

aio::Task<void> main_() {
  auto q = std::make_shared<aio::Queue<int>>();
  for (int i : {2, 1, 3}) q->put_nowait(i);
  auto w = aio::create_task(worker(q));
  log("joining");
  co_await q->join();
  log("joined, empty", q->empty());
  co_await q->join();
  log("second join returns at once");
  w.cancel();
  try {
    q->task_done();
  } catch (const aio::ValueError&) {
    log("extra task_done:", fmt_exc());
  }
}
}  // namespace

AIO_SCENARIO("123_queue_join") { run(main_); }
