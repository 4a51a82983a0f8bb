#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "sync_test_util.hpp"

namespace {

using synctest::log;

// ---- conformance 044_seed_lock -------------------------------------------------

std::vector<std::string> seed_l;

aio::Task<std::string> work044(aio::Lock& lock, std::string name) {
  log("lalalalalalalala");
  auto guard = co_await lock.scoped();
  log(name + " start");
  for (auto& s : seed_l)
    if (s == "x") co_return name;
  co_await aio::sleep(0);
  log("----------");
  seed_l.push_back("x");
  log(name + " end");
  co_return name;
}

aio::Task<void> user044(aio::Lock& lock, std::string which) {
  std::string name = co_await work044(lock, which);
  log(name + " ok");
}

aio::Task<void> main044() {
  seed_l.clear();
  aio::Lock lock;
  auto one = aio::create_task(user044(lock, "one"));
  auto two = aio::create_task(user044(lock, "two"));
  co_await synctest::settle(synctest::refs(one, two));
}

TEST(Lock, Conformance044SeedLock) {
  synctest::run(main044());
  EXPECT_EQ(synctest::lines(), synctest::expected("044_seed_lock"));
}

// ---- conformance 118_lock_fairness ---------------------------------------------

aio::Task<void> user118(std::string name, aio::Lock& lock, double hold) {
  log(name + " wants lock");
  try {
    auto guard = co_await lock.scoped();
    log(name + " acquired");
    co_await aio::sleep(hold);
    log(name + " releasing");
  } catch (const aio::CancelledError&) {
    log(name + " cancelled while waiting");
    throw;
  }
}

aio::Task<void> main118() {
  aio::Lock lock;
  std::vector<aio::TaskRef> ts;
  for (const char* n : {"u0", "u1", "u2", "u3"}) ts.emplace_back(aio::create_task(user118(n, lock, 1)));
  co_await aio::sleep(0.5);
  log(std::string("locked ") + (lock.locked() ? "True" : "False"));
  ts[2].cancel();
  co_await synctest::settle(ts);
  std::string states;
  for (auto& t : ts) states += std::string(states.empty() ? "" : ", ") + (t.cancelled() ? "True" : "False");
  log(std::string("locked ") + (lock.locked() ? "True" : "False") + " [" + states + "]");
  try {
    lock.release();
  } catch (const aio::RuntimeError&) {
    log("release unlocked: " + synctest::current_exc());
  }
}

TEST(Lock, Conformance118Fairness) {
  synctest::run(main118());
  EXPECT_EQ(synctest::lines(), synctest::expected("118_lock_fairness"));
}

// ---- unit behaviour ------------------------------------------------------------

TEST(Lock, AcquireOnFreeLockDoesNotSuspend) {
  synctest::run([]() -> aio::Task<void> {
    aio::Lock lock;
    bool other_ran = false;
    aio::get_running_loop().call_soon([&] { other_ran = true; });
    bool r = co_await lock.acquire();
    EXPECT_TRUE(r);
    EXPECT_TRUE(lock.locked());
    EXPECT_FALSE(other_ran);  // no trip through the loop
    lock.release();
    EXPECT_FALSE(lock.locked());
  }());
}

TEST(Lock, ReleaseUnlockedRaisesExactMessage) {
  aio::Lock lock;
  try {
    lock.release();
    FAIL();
  } catch (const aio::RuntimeError& e) {
    EXPECT_STREQ(e.what(), "Lock is not acquired.");
  }
}

aio::Task<void> taker(aio::Lock& lock, std::vector<int>& order, int id) {
  co_await lock.acquire();
  order.push_back(id);
  co_await aio::sleep(0);
  lock.release();
}

TEST(Lock, WaitersAcquireInFifoOrder) {
  std::vector<int> order;
  synctest::run([](std::vector<int>& order) -> aio::Task<void> {
    aio::Lock lock;
    co_await lock.acquire();
    std::vector<aio::TaskRef> ts;
    for (int i = 0; i < 6; ++i) ts.emplace_back(aio::create_task(taker(lock, order, i)));
    co_await aio::sleep(0);  // all six are queued now
    EXPECT_EQ(lock.describe().find("waiters:6") != std::string::npos, true) << lock.describe();
    lock.release();
    co_await synctest::settle(ts);
  }(order));
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

// A waiter that was handed the lock (its future done) but is cancelled before
// it runs passes the lock on to the next waiter (asyncio's _wake_up_first in
// the CancelledError handler).
TEST(Lock, CancelledAfterWakeupPassesLockOn) {
  std::vector<int> order;
  synctest::run([](std::vector<int>& order) -> aio::Task<void> {
    aio::Lock lock;
    co_await lock.acquire();
    auto b = aio::create_task(taker(lock, order, 1));
    auto c = aio::create_task(taker(lock, order, 2));
    co_await aio::sleep(0);
    lock.release();  // B's future is done now; B has not run
    EXPECT_FALSE(lock.locked());
    b.cancel();
    auto outcomes = co_await synctest::settle(synctest::refs(b, c));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"CancelledError", "ok"}));
    EXPECT_FALSE(lock.locked());
  }(order));
  EXPECT_EQ(order, (std::vector<int>{2}));
}

// The fast path ignores waiters whose futures are cancelled: a newcomer takes
// a free lock at once, and the cancelled waiter does not steal it.
TEST(Lock, FastPathSkipsCancelledWaiters) {
  std::vector<int> order;
  synctest::run([](std::vector<int>& order) -> aio::Task<void> {
    aio::Lock lock;
    co_await lock.acquire();
    auto b = aio::create_task(taker(lock, order, 1));
    co_await aio::sleep(0);
    b.cancel();      // B's future is cancelled, B still listed
    lock.release();  // the first waiter is done: nobody is woken
    EXPECT_FALSE(lock.locked());
    bool other_ran = false;
    aio::get_running_loop().call_soon([&] { other_ran = true; });
    co_await lock.acquire();  // all waiters cancelled: immediate
    EXPECT_FALSE(other_ran);
    order.push_back(0);
    auto outcomes = co_await synctest::settle(synctest::refs(b));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"CancelledError"}));
    EXPECT_TRUE(lock.locked());
    lock.release();
  }(order));
  EXPECT_EQ(order, (std::vector<int>{0}));
}

TEST(Lock, CancelMessageReachesWaiter) {
  synctest::run([]() -> aio::Task<void> {
    aio::Lock lock;
    co_await lock.acquire();
    auto t = aio::create_task([](aio::Lock& lock) -> aio::Task<void> { co_await lock.acquire(); }(lock));
    co_await aio::sleep(0);
    t.cancel("stop waiting");
    try {
      co_await t;
      ADD_FAILURE();
    } catch (const aio::CancelledError& e) {
      EXPECT_EQ(e.message(), "stop waiting");
    }
    EXPECT_TRUE(lock.locked());
    lock.release();
  }());
}

TEST(Lock, ScopedGuardReleasesOnExceptionAndCancellation) {
  synctest::run([]() -> aio::Task<void> {
    aio::Lock lock;
    try {
      auto guard = co_await lock.scoped();
      EXPECT_TRUE(lock.locked());
      throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    EXPECT_FALSE(lock.locked());

    auto holder = aio::create_task([](aio::Lock& lock) -> aio::Task<void> {
      auto guard = co_await lock.scoped();
      co_await aio::sleep(10);
    }(lock));
    co_await aio::sleep(1);
    EXPECT_TRUE(lock.locked());
    holder.cancel();
    co_await synctest::settle(synctest::refs(holder));
    EXPECT_FALSE(lock.locked());

    // Moving the guard moves the release; release() ends it early.
    auto g1 = co_await lock.scoped();
    aio::ReleaseGuard<aio::Lock> g2 = std::move(g1);
    EXPECT_FALSE(g1.owns());
    EXPECT_TRUE(g2.owns());
    g2.release();
    EXPECT_FALSE(lock.locked());
    EXPECT_FALSE(g2.owns());
  }());
}

TEST(Lock, BoundToTheFirstLoopThatWaits) {
  aio::Lock lock;
  aio::EventLoop first(aio::EventLoop::Options{aio::Clock::virtual_time, false});
  aio::EventLoop second(aio::EventLoop::Options{aio::Clock::virtual_time, false});
  first.run_until_complete([](aio::Lock& lock) -> aio::Task<void> {
    co_await lock.acquire();
    auto t = aio::create_task([](aio::Lock& lock) -> aio::Task<void> { co_await lock.acquire(); }(lock));
    co_await aio::sleep(0);
    lock.release();
    co_await t;  // t holds it now
  }(lock));
  EXPECT_TRUE(lock.locked());
  second.run_until_complete([](aio::Lock& lock) -> aio::Task<void> {
    try {
      co_await lock.acquire();
      ADD_FAILURE();
    } catch (const aio::RuntimeError& e) {
      EXPECT_NE(std::string(e.what()).find("is bound to a different event loop"), std::string::npos) << e.what();
    }
  }(lock));
}

}  // namespace
