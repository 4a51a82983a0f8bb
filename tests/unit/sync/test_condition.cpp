#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "sync_test_util.hpp"

namespace {

using synctest::log;

// ---- conformance 120_condition -------------------------------------------------

int n120 = 0;

aio::Task<void> waiter120(std::string name, aio::Condition& cond) {
  auto guard = co_await cond.scoped();
  log(name + " waiting");
  co_await cond.wait();
  log(name + " woke, n = " + std::to_string(n120));
}

aio::Task<void> pred_waiter120(aio::Condition& cond) {
  auto guard = co_await cond.scoped();
  bool r = co_await cond.wait_for([] { return n120 >= 3; });
  log(std::string("wait_for satisfied ") + (r ? "True" : "False") + " n = " + std::to_string(n120));
}

aio::Task<void> main120() {
  n120 = 0;
  aio::Condition cond;
  std::vector<aio::TaskRef> ts;
  for (int i = 0; i < 3; ++i) ts.emplace_back(aio::create_task(waiter120("w" + std::to_string(i), cond)));
  ts.emplace_back(aio::create_task(pred_waiter120(cond)));
  co_await aio::sleep(1);
  {
    auto guard = co_await cond.scoped();
    n120 = 1;
    log("notify(1)");
    cond.notify(1);
  }
  co_await aio::sleep(1);
  {
    auto guard = co_await cond.scoped();
    n120 = 3;
    log("notify_all");
    cond.notify_all();
  }
  co_await synctest::settle(ts);
  try {
    cond.notify();
  } catch (const aio::RuntimeError&) {
    log("notify without lock: " + synctest::current_exc());
  }
}

TEST(Condition, Conformance120) {
  synctest::run(main120());
  EXPECT_EQ(synctest::lines(), synctest::expected("120_condition"));
}

// ---- unit behaviour ------------------------------------------------------------

TEST(Condition, WaitWithoutLockRaises) {
  synctest::run([]() -> aio::Task<void> {
    aio::Condition cond;
    try {
      co_await cond.wait();
      ADD_FAILURE();
    } catch (const aio::RuntimeError& e) {
      EXPECT_STREQ(e.what(), "cannot wait on un-acquired lock");
    }
    try {
      cond.notify_all();
      ADD_FAILURE();
    } catch (const aio::RuntimeError& e) {
      EXPECT_STREQ(e.what(), "cannot notify on un-acquired lock");
    }
  }());
}

// A waiter cancelled while waiting re-acquires the lock before CancelledError
// leaves wait(): its guard then releases a lock it really holds.
TEST(Condition, CancelledWaiterReacquiresLockFirst) {
  synctest::run([]() -> aio::Task<void> {
    aio::Condition cond;
    std::vector<std::string> events;
    auto w = aio::create_task([](aio::Condition& cond, std::vector<std::string>& events) -> aio::Task<void> {
      auto guard = co_await cond.scoped();
      try {
        co_await cond.wait();
      } catch (const aio::CancelledError&) {
        events.push_back(cond.locked() ? "cancelled, lock held" : "cancelled, lock free");
        throw;
      }
    }(cond, events));
    co_await aio::sleep(0);
    EXPECT_FALSE(cond.locked());  // released by wait()
    co_await cond.acquire();      // hold it so the cancelled waiter must queue
    w.cancel();
    co_await aio::sleep(1);
    EXPECT_TRUE(events.empty());  // still re-acquiring
    cond.release();
    auto outcomes = co_await synctest::settle(synctest::refs(w));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"CancelledError"}));
    EXPECT_EQ(events, (std::vector<std::string>{"cancelled, lock held"}));
    EXPECT_FALSE(cond.locked());
  }());
}

// Cancelled again while re-acquiring: it keeps trying, then raises one
// CancelledError once the lock is held.
TEST(Condition, CancelDuringReacquireStillEndsWithLockHeld) {
  synctest::run([]() -> aio::Task<void> {
    aio::Condition cond;
    bool held_at_cancel = false;
    auto w = aio::create_task([](aio::Condition& cond, bool& held) -> aio::Task<void> {
      co_await cond.acquire();
      try {
        co_await cond.wait();
      } catch (const aio::CancelledError&) {
        held = cond.locked();
        cond.release();
        throw;
      }
    }(cond, held_at_cancel));
    co_await aio::sleep(0);
    co_await cond.acquire();
    cond.notify();
    co_await aio::sleep(0);  // w woke and now waits for the lock
    w.cancel();
    co_await aio::sleep(0);
    w.cancel();
    co_await aio::sleep(0);
    EXPECT_FALSE(w.done());
    cond.release();
    auto outcomes = co_await synctest::settle(synctest::refs(w));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"CancelledError"}));
    EXPECT_TRUE(held_at_cancel);
    EXPECT_FALSE(cond.locked());
  }());
}

// Waits on `cond` once, then records `i` in `woke`: the order of wakeups.
aio::Task<void> record_wakeup(aio::Condition& cond, std::vector<int>& woke, int i) {
  auto g = co_await cond.scoped();
  co_await cond.wait();
  woke.push_back(i);
}

TEST(Condition, NotifyWakesOnlyNWaitersInFifoOrder) {
  std::vector<int> woke;
  synctest::run([](std::vector<int>& woke) -> aio::Task<void> {
    aio::Lock lock;
    aio::Condition cond(lock);  // over a shared lock
    std::vector<aio::TaskRef> ts;
    for (int i = 0; i < 4; ++i) ts.emplace_back(aio::create_task(record_wakeup(cond, woke, i)));
    co_await aio::sleep(0);
    {
      auto g = co_await lock.scoped();
      EXPECT_TRUE(cond.locked());
      cond.notify(2);
    }
    co_await aio::sleep(1);
    EXPECT_EQ(woke, (std::vector<int>{0, 1}));
    {
      auto g = co_await cond.scoped();
      cond.notify_all();
    }
    co_await synctest::settle(ts);
  }(woke));
  EXPECT_EQ(woke, (std::vector<int>{0, 1, 2, 3}));
}

// notify(n) wakes min(n, waiting) tasks; asyncio's loop (`if idx >= n:
// break`) wakes nobody when n <= 0, so a count computed as `wanted - done`
// that went negative must not turn into "wake everyone".
TEST(Condition, NotifyWithNonPositiveCountWakesNobody) {
  std::vector<int> woke;
  synctest::run([](std::vector<int>& woke) -> aio::Task<void> {
    aio::Condition cond;
    std::vector<aio::TaskRef> ts;
    for (int i = 0; i < 3; ++i) ts.emplace_back(aio::create_task(record_wakeup(cond, woke, i)));
    co_await aio::sleep(0);
    int wanted = 1, done = 2;
    {
      auto g = co_await cond.scoped();
      cond.notify(wanted - done);
      cond.notify(0);
    }
    co_await aio::sleep(1);
    EXPECT_EQ(woke, (std::vector<int>{}));
    {
      auto g = co_await cond.scoped();
      cond.notify_all();
    }
    co_await synctest::settle(ts);
  }(woke));
  EXPECT_EQ(woke, (std::vector<int>{0, 1, 2}));
}

TEST(Condition, WaitForReturnsThePredicateValue) {
  synctest::run([]() -> aio::Task<void> {
    aio::Condition cond;
    int value = 0;
    auto t = aio::create_task([](aio::Condition& cond, int& value) -> aio::Task<int> {
      auto g = co_await cond.scoped();
      int r = co_await cond.wait_for([&] { return value; });
      co_return r;
    }(cond, value));
    co_await aio::sleep(0);
    for (int v : {0, 7}) {
      auto g = co_await cond.scoped();
      value = v;
      cond.notify();
    }
    EXPECT_EQ(co_await t, 7);
  }());
}

}  // namespace
