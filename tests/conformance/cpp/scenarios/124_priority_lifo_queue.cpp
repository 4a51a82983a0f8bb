// Twin of py/scenarios/124_priority_lifo_queue.py: PriorityQueue orders (priority, item)
// tuples; LifoQueue returns the newest item first, also to waiting getters.
//
// The Python LifoQueue holds ints and then strs; the twin's holds Obj (any Python value).
#include "aio/gather.hpp"
#include "aio/queue.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> getter(aio::LifoQueue<Obj>& q, std::string name) {
  log(name, "waiting");
  Obj item = co_await q.get();
  log(name, "got", item);
}

aio::Task<void> main_() {
  aio::PriorityQueue<std::pair<int, std::string>> pq;
  for (auto item : std::vector<std::pair<int, std::string>>{{3, "c"}, {1, "a"}, {2, "b"}, {1, "a2"}, {5, "e"}})
    co_await pq.put(item);
  std::vector<std::pair<int, std::string>> drained;
  for (std::size_t i = 0, n = pq.qsize(); i < n; ++i) drained.push_back(pq.get_nowait());
  log("priority:", drained);
  aio::LifoQueue<Obj> lq;
  for (int i = 0; i < 5; ++i) lq.put_nowait(Obj(i));
  std::vector<Obj> lifo;
  for (std::size_t i = 0, n = lq.qsize(); i < n; ++i) lifo.push_back(lq.get_nowait());
  log("lifo:", lifo);
  auto g1 = aio::create_task(getter(lq, "g1"));
  auto g2 = aio::create_task(getter(lq, "g2"));
  co_await aio::sleep(1);
  lq.put_nowait(Obj("x"));
  lq.put_nowait(Obj("y"));
  co_await aio::gather(g1, g2);
}
}  // namespace

AIO_SCENARIO("124_priority_lifo_queue") { run(main_); }
