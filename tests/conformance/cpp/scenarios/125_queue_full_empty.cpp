// Twin of py/scenarios/125_queue_full_empty.py: get_nowait/put_nowait raise QueueEmpty /
// QueueFull; put() on a full queue waits for a get.
#include "aio/queue.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> putter(aio::Queue<int>& q) {
  log("putter blocking");
  co_await q.put(3);
  log("putter done");
}

aio::Task<void> main_() {
  aio::Queue<int> q(2);
  try {
    q.get_nowait();
  } catch (const aio::QueueEmpty&) {
    log("get_nowait:", fmt_exc());
  }
  q.put_nowait(1);
  q.put_nowait(2);
  log("full", q.full(), "empty", q.empty(), "maxsize", q.maxsize());
  try {
    q.put_nowait(3);
  } catch (const aio::QueueFull&) {
    log("put_nowait:", fmt_exc());
  }
  auto t = aio::create_task(putter(q));
  co_await aio::sleep(1);
  log("get", q.get_nowait());
  co_await t;
  std::vector<int> drained;
  for (std::size_t i = 0, n = q.qsize(); i < n; ++i) drained.push_back(q.get_nowait());
  log("drain", drained);
}
}  // namespace

AIO_SCENARIO("125_queue_full_empty") { run(main_); }
