// Twin of py/scenarios/163_queue_cancelled_waiters.py: getters and putters cancelled while
// waiting (also after being woken) lose no item and add none; maxsize <= 0 is unbounded.
#include "aio/queue.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> getter(std::string name, aio::Queue<std::string>& q) {
  try {
    std::string item = co_await q.get();
    log(name, "got", item);
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    throw;
  }
}

aio::Task<void> putter(std::string name, aio::Queue<std::string>& q, std::string item) {
  try {
    co_await q.put(item);
    log(name, "put", item);
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    throw;
  }
}

aio::Task<void> main_() {
  aio::Queue<std::string> q;
  auto g1 = aio::create_task(getter("g1", q));
  auto g2 = aio::create_task(getter("g2", q));
  co_await aio::sleep(1);
  g1.cancel();
  co_await aio::sleep(0);
  q.put_nowait("x");
  co_await aio::sleep(1);
  log("qsize", q.qsize());

  auto g3 = aio::create_task(getter("g3", q));
  auto g4 = aio::create_task(getter("g4", q));
  co_await aio::sleep(1);
  q.put_nowait("y");
  g3.cancel();
  co_await aio::sleep(1);
  log("qsize", q.qsize(), "g4 done", g4.done());

  aio::Queue<std::string> f(1);
  f.put_nowait("a");
  auto p1 = aio::create_task(putter("p1", f, "b"));
  auto p2 = aio::create_task(putter("p2", f, "c"));
  co_await aio::sleep(1);
  p1.cancel();
  co_await aio::sleep(0);
  log("got", f.get_nowait());
  co_await aio::sleep(1);
  std::string last = f.get_nowait();
  log("queue now", last, "empty", f.empty());

  for (long m : {0L, -1L}) {
    aio::Queue<int> u(m);
    for (int i = 0; i < 3; ++i) u.put_nowait(i);
    log("maxsize", u.maxsize(), "qsize", u.qsize(), "full", u.full());
  }
}
}  // namespace

AIO_SCENARIO("163_queue_cancelled_waiters") { run(main_); }
