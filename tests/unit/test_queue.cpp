#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "sync/sync_test_util.hpp"

namespace {

using synctest::log;

std::string py(bool b) { return b ? "True" : "False"; }

// ---- conformance 049_seed_queue_producer_consumer -----------------------------

aio::Task<void> producer049(aio::Queue<int>& q) {
  for (int i = 0; i < 5; ++i) {
    co_await q.put(i);
    log("produced " + std::to_string(i) + " qsize " + std::to_string(q.qsize()));
  }
  log("producer done");
}

aio::Task<void> consumer049(std::string name, aio::Queue<int>& q) {
  try {
    for (;;) {
      int item = co_await q.get();
      log(name + " got " + std::to_string(item));
      co_await aio::sleep(1);
      log(name + " done " + std::to_string(item));
      q.task_done();
    }
  } catch (const aio::CancelledError&) {
    log(name + " cancelled");
    throw;
  }
}

aio::Task<void> main049() {
  aio::Queue<int> q(2);
  auto c0 = aio::create_task(consumer049("c0", q));
  auto c1 = aio::create_task(consumer049("c1", q));
  co_await producer049(q);
  co_await q.join();
  log("all items processed");
  c0.cancel();
  c1.cancel();
  auto res = co_await synctest::settle(synctest::refs(c0, c1));
  log("['" + res[0] + "', '" + res[1] + "']");
}

TEST(Queue, Conformance049ProducerConsumer) {
  synctest::run(main049());
  EXPECT_EQ(synctest::lines(), synctest::expected("049_seed_queue_producer_consumer"));
}

// ---- conformance 123_queue_join ------------------------------------------------

aio::Task<void> worker123(aio::Queue<int>& q) {
  for (;;) {
    int item = co_await q.get();
    co_await aio::sleep(item);
    log("processed " + std::to_string(item) + " qsize " + std::to_string(q.qsize()));
    q.task_done();
  }
}

aio::Task<void> main123() {
  aio::Queue<int> q;
  for (int i : {2, 1, 3}) q.put_nowait(i);
  auto w = aio::create_task(worker123(q));
  log("joining");
  co_await q.join();
  log("joined, empty " + py(q.empty()));
  co_await q.join();
  log("second join returns at once");
  w.cancel();
  try {
    q.task_done();
  } catch (const aio::ValueError&) {
    log("extra task_done: " + synctest::current_exc());
  }
  // The worker refers to q, a local here: let it finish before q goes (in
  // Python the worker would keep the queue alive).
  co_await synctest::settle(synctest::refs(w));
}

TEST(Queue, Conformance123Join) {
  synctest::run(main123());
  EXPECT_EQ(synctest::lines(), synctest::expected("123_queue_join"));
}

// ---- conformance 124_priority_lifo_queue ---------------------------------------

std::string tuple_repr(const std::pair<int, std::string>& p) {
  return "(" + std::to_string(p.first) + ", '" + p.second + "')";
}

aio::Task<void> getter124(aio::LifoQueue<std::string>& q, std::string name) {
  log(name + " waiting");
  std::string item = co_await q.get();
  log(name + " got " + item);
}

aio::Task<void> main124() {
  aio::PriorityQueue<std::pair<int, std::string>> pq;
  for (auto item : std::vector<std::pair<int, std::string>>{{3, "c"}, {1, "a"}, {2, "b"}, {1, "a2"}, {5, "e"}})
    co_await pq.put(item);
  std::string s;
  for (std::size_t i = 0, n = pq.qsize(); i < n; ++i) s += (s.empty() ? "" : ", ") + tuple_repr(pq.get_nowait());
  log("priority: [" + s + "]");
  aio::LifoQueue<int> lq;
  for (int i = 0; i < 5; ++i) lq.put_nowait(i);
  s.clear();
  for (std::size_t i = 0, n = lq.qsize(); i < n; ++i) s += (s.empty() ? "" : ", ") + std::to_string(lq.get_nowait());
  log("lifo: [" + s + "]");
  // The scenario reuses the (now empty) int LifoQueue for strings; C++ needs a second one.
  aio::LifoQueue<std::string> sq;
  auto g1 = aio::create_task(getter124(sq, "g1"));
  auto g2 = aio::create_task(getter124(sq, "g2"));
  co_await aio::sleep(1);
  sq.put_nowait("x");
  sq.put_nowait("y");
  co_await synctest::settle(synctest::refs(g1, g2));
}

TEST(Queue, Conformance124PriorityLifo) {
  synctest::run(main124());
  EXPECT_EQ(synctest::lines(), synctest::expected("124_priority_lifo_queue"));
}

// ---- conformance 125_queue_full_empty ------------------------------------------

aio::Task<void> main125() {
  aio::Queue<int> q(2);
  try {
    q.get_nowait();
  } catch (const aio::QueueEmpty&) {
    log("get_nowait: " + synctest::current_exc());
  }
  q.put_nowait(1);
  q.put_nowait(2);
  log("full " + py(q.full()) + " empty " + py(q.empty()) + " maxsize " + std::to_string(q.maxsize()));
  try {
    q.put_nowait(3);
  } catch (const aio::QueueFull&) {
    log("put_nowait: " + synctest::current_exc());
  }
  auto t = aio::create_task([](aio::Queue<int>& q) -> aio::Task<void> {
    log("putter blocking");
    co_await q.put(3);
    log("putter done");
  }(q));
  co_await aio::sleep(1);
  log("get " + std::to_string(q.get_nowait()));
  co_await t;
  std::string s;
  for (std::size_t i = 0, n = q.qsize(); i < n; ++i) s += (s.empty() ? "" : ", ") + std::to_string(q.get_nowait());
  log("drain [" + s + "]");
}

TEST(Queue, Conformance125FullEmpty) {
  synctest::run(main125());
  EXPECT_EQ(synctest::lines(), synctest::expected("125_queue_full_empty"));
}

// ---- unit behaviour ------------------------------------------------------------

TEST(Queue, MoveOnlyItems) {
  synctest::run([]() -> aio::Task<void> {
    aio::Queue<std::unique_ptr<int>> q(1);
    auto consumer = aio::create_task([](aio::Queue<std::unique_ptr<int>>& q) -> aio::Task<int> {
      int sum = 0;
      for (int i = 0; i < 3; ++i) {
        std::unique_ptr<int> p = co_await q.get();
        sum += *p;
        q.task_done();
      }
      co_return sum;
    }(q));
    for (int i = 1; i <= 3; ++i) co_await q.put(std::make_unique<int>(i * 10));
    EXPECT_EQ(co_await consumer, 60);
    auto extra = std::make_unique<int>(99);
    q.put_nowait(std::move(extra));
    // put_nowait leaves the item alone when it raises.
    auto refused = std::make_unique<int>(7);
    EXPECT_THROW(q.put_nowait(std::move(refused)), aio::QueueFull);
    EXPECT_TRUE(refused);
    EXPECT_EQ(*q.get_nowait(), 99);

    struct ByPointee {
      bool operator()(const std::unique_ptr<int>& a, const std::unique_ptr<int>& b) const { return *a < *b; }
    };
    aio::PriorityQueue<std::unique_ptr<int>, ByPointee> pq;
    for (int v : {5, 1, 3}) pq.put_nowait(std::make_unique<int>(v));
    EXPECT_EQ(*(co_await pq.get()), 1);
    EXPECT_EQ(*pq.get_nowait(), 3);
    aio::LifoQueue<std::unique_ptr<int>> lq;
    lq.put_nowait(std::make_unique<int>(1));
    lq.put_nowait(std::make_unique<int>(2));
    EXPECT_EQ(*(co_await lq.get()), 2);
  }());
}

struct Job {
  int priority;
  std::string name;
  bool operator<(const Job& o) const { return priority < o.priority; }  // ties: heapq's order
};

TEST(Queue, PriorityTiesFollowHeapq) {
  aio::PriorityQueue<Job> q;
  for (auto [p, n] : std::vector<std::pair<int, const char*>>{
           {1, "a"}, {1, "b"}, {1, "c"}, {0, "z"}, {1, "d"}, {2, "x"}, {1, "e"}, {0, "y"}})
    q.put_nowait(Job{p, n});
  std::vector<std::string> order;
  while (!q.empty()) order.push_back(q.get_nowait().name);
  // Python: heapq with __lt__ on the priority only.
  EXPECT_EQ(order, (std::vector<std::string>{"z", "y", "c", "e", "d", "a", "b", "x"}));
}

// A comparison that throws must not lose or hollow out items that were in
// the heap. CPython's heapq (the C module) swaps items as it sifts, so when
// `<` raises every item is still in the list: a failed put_nowait leaves the
// new item in the queue (not counted as a task), a failed get_nowait loses
// only the item it was returning. Expected values from CPython 3.11.
bool poison_compares = true;
struct Poisonable {
  int value;
  std::string name;
};
struct PoisonableLess {
  bool operator()(const Poisonable& a, const Poisonable& b) const {
    if (poison_compares && (a.value == 99 || b.value == 99)) throw aio::TypeError("poison");
    return a.value < b.value;
  }
};
std::vector<std::string> drain_names(aio::PriorityQueue<Poisonable, PoisonableLess>& q) {
  poison_compares = false;
  std::vector<std::string> names;
  while (!q.empty()) names.push_back(q.get_nowait().name);
  poison_compares = true;
  return names;
}

TEST(Queue, PriorityComparisonErrorKeepsTheHeapItems) {
  aio::PriorityQueue<Poisonable, PoisonableLess> q;
  for (auto [v, n] : std::vector<std::pair<int, const char*>>{{5, "e"}, {3, "c"}, {8, "h"}, {1, "a"}, {4, "d"}, {7, "g"}})
    q.put_nowait(Poisonable{v, n});
  EXPECT_THROW(q.put_nowait(Poisonable{99, "poison"}), aio::TypeError);
  EXPECT_EQ(q.qsize(), 7u);
  EXPECT_EQ(q.unfinished_tasks(), 6u);
  EXPECT_EQ(drain_names(q), (std::vector<std::string>{"a", "c", "d", "e", "g", "h", "poison"}));

  // heappop: the last item moves to the top and sifts; "a" is being returned.
  poison_compares = false;
  for (auto [v, n] : std::vector<std::pair<int, const char*>>{{1, "a"}, {99, "poison"}, {3, "c"}})
    q.put_nowait(Poisonable{v, n});
  poison_compares = true;
  EXPECT_THROW(q.get_nowait(), aio::TypeError);
  EXPECT_EQ(q.qsize(), 2u);
  EXPECT_EQ(drain_names(q), (std::vector<std::string>{"poison", "c"}));
}

TEST(Queue, PriorityWithCustomCompare) {
  aio::PriorityQueue<int, std::greater<int>> q;
  for (int i : {3, 9, 1, 7}) q.put_nowait(i);
  std::vector<int> order;
  while (!q.empty()) order.push_back(q.get_nowait());
  EXPECT_EQ(order, (std::vector<int>{9, 7, 3, 1}));
}

// asyncio's repr names the class: <PriorityQueue at 0x... maxsize=0>. The
// describe() text also goes into the "bound to a different event loop" error.
TEST(Queue, DescribeNamesTheQueueKind) {
  aio::Queue<int> q(3);
  aio::PriorityQueue<int> pq;
  aio::LifoQueue<int> lq(-1);
  EXPECT_EQ(q.describe().rfind("<Queue at 0x", 0), 0u) << q.describe();
  EXPECT_EQ(pq.describe().rfind("<PriorityQueue at 0x", 0), 0u) << pq.describe();
  EXPECT_EQ(lq.describe().rfind("<LifoQueue at 0x", 0), 0u) << lq.describe();
  EXPECT_NE(lq.describe().find(" maxsize=-1>"), std::string::npos) << lq.describe();
}

TEST(Queue, TaskDoneTooManyTimesMessage) {
  aio::Queue<int> q;
  try {
    q.task_done();
    FAIL();
  } catch (const aio::ValueError& e) {
    EXPECT_STREQ(e.what(), "task_done() called too many times");
  }
  q.put_nowait(1);
  EXPECT_EQ(q.unfinished_tasks(), 1u);
  q.get_nowait();
  EXPECT_EQ(q.unfinished_tasks(), 1u);  // get does not finish the task
  q.task_done();
  EXPECT_EQ(q.unfinished_tasks(), 0u);
}

TEST(Queue, GettersServedInFifoOrder) {
  std::vector<std::string> got;
  synctest::run([](std::vector<std::string>& got) -> aio::Task<void> {
    aio::Queue<int> q;
    std::vector<aio::TaskRef> ts;
    for (int i = 0; i < 4; ++i)
      ts.emplace_back(aio::create_task([](aio::Queue<int>& q, std::vector<std::string>& got, int i) -> aio::Task<void> {
        int v = co_await q.get();
        got.push_back("g" + std::to_string(i) + "=" + std::to_string(v));
      }(q, got, i)));
    co_await aio::sleep(0);
    for (int v = 0; v < 4; ++v) q.put_nowait(v * 100);
    co_await synctest::settle(ts);
  }(got));
  EXPECT_EQ(got, (std::vector<std::string>{"g0=0", "g1=100", "g2=200", "g3=300"}));
}

// A getter woken by put_nowait() but cancelled before it ran hands the item
// on to the next getter.
TEST(Queue, CancelledWokenGetterWakesTheNext) {
  synctest::run([]() -> aio::Task<void> {
    aio::Queue<int> q;
    auto getter = [](aio::Queue<int>& q) -> aio::Task<int> { co_return co_await q.get(); };
    auto a = aio::create_task(getter(q));
    auto b = aio::create_task(getter(q));
    co_await aio::sleep(0);
    q.put_nowait(5);  // wakes a
    a.cancel();
    auto outcomes = co_await synctest::settle(synctest::refs(a, b));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"CancelledError", "ok"}));
    EXPECT_EQ(b.result(), 5);
    EXPECT_TRUE(q.empty());
  }());
}

TEST(Queue, CancelledWokenPutterWakesTheNext) {
  synctest::run([]() -> aio::Task<void> {
    aio::Queue<int> q(1);
    q.put_nowait(0);
    auto putter = [](aio::Queue<int>& q, int v) -> aio::Task<void> { co_await q.put(v); };
    auto a = aio::create_task(putter(q, 1));
    auto b = aio::create_task(putter(q, 2));
    co_await aio::sleep(0);
    EXPECT_EQ(q.get_nowait(), 0);  // wakes a
    a.cancel();
    auto outcomes = co_await synctest::settle(synctest::refs(a, b));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"CancelledError", "ok"}));
    EXPECT_EQ(q.get_nowait(), 2);
  }());
}

TEST(Queue, JoinIsCancellable) {
  synctest::run([]() -> aio::Task<void> {
    aio::Queue<int> q;
    q.put_nowait(1);
    auto j = aio::create_task([](aio::Queue<int>& q) -> aio::Task<void> { co_await q.join(); }(q));
    co_await aio::sleep(1);
    EXPECT_FALSE(j.done());
    j.cancel();
    auto outcomes = co_await synctest::settle(synctest::refs(j));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"CancelledError"}));
    EXPECT_EQ(q.unfinished_tasks(), 1u);
  }());
}

// ---- shutdown (Python 3.13) ----------------------------------------------------

TEST(Queue, ShutdownLetsGettersDrainThenRaises) {
  std::vector<std::string> out;
  synctest::run([](std::vector<std::string>& out) -> aio::Task<void> {
    aio::Queue<int> q(2);
    q.put_nowait(1);
    q.put_nowait(2);
    auto blocked_putter = aio::create_task([](aio::Queue<int>& q) -> aio::Task<void> { co_await q.put(3); }(q));
    co_await aio::sleep(0);
    q.shutdown();
    EXPECT_TRUE(q.is_shutdown());
    EXPECT_THROW(q.put_nowait(4), aio::QueueShutDown);
    auto outcomes = co_await synctest::settle(synctest::refs(blocked_putter));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"QueueShutDown"}));
    out.push_back(std::to_string(co_await q.get()));
    out.push_back(std::to_string(q.get_nowait()));
    try {
      co_await q.get();
    } catch (const aio::QueueShutDown&) {
      out.push_back("get: " + synctest::current_exc());
    }
    EXPECT_THROW(q.get_nowait(), aio::QueueShutDown);
    EXPECT_EQ(q.unfinished_tasks(), 2u);  // non-immediate shutdown keeps the count
    q.task_done();
    q.task_done();
    co_await q.join();
  }(out));
  EXPECT_EQ(out, (std::vector<std::string>{"1", "2", "get: QueueShutDown"}));
}

TEST(Queue, ShutdownWakesBlockedGetters) {
  synctest::run([]() -> aio::Task<void> {
    aio::Queue<int> q;
    auto getter = [](aio::Queue<int>& q) -> aio::Task<int> { co_return co_await q.get(); };
    auto a = aio::create_task(getter(q));
    auto b = aio::create_task(getter(q));
    co_await aio::sleep(0);
    q.shutdown();
    auto outcomes = co_await synctest::settle(synctest::refs(a, b));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"QueueShutDown", "QueueShutDown"}));
  }());
}

TEST(Queue, ShutdownImmediateDropsItemsAndReleasesJoin) {
  synctest::run([]() -> aio::Task<void> {
    aio::Queue<std::unique_ptr<int>> q;
    q.put_nowait(std::make_unique<int>(1));
    q.put_nowait(std::make_unique<int>(2));
    auto joiner = aio::create_task([](aio::Queue<std::unique_ptr<int>>& q) -> aio::Task<void> {
      co_await q.join();
    }(q));
    co_await aio::sleep(1);
    EXPECT_FALSE(joiner.done());
    q.shutdown(true);
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.unfinished_tasks(), 0u);
    co_await joiner;
    EXPECT_THROW(q.get_nowait(), aio::QueueShutDown);
    try {
      co_await q.get();
      ADD_FAILURE();
    } catch (const aio::QueueShutDown&) {
    }
    EXPECT_NE(q.describe().find("shutdown"), std::string::npos) << q.describe();
  }());
}

}  // namespace
