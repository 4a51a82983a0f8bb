#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "sync_test_util.hpp"

namespace {

using synctest::log;

std::string py(bool b) { return b ? "True" : "False"; }

// ---- conformance 050_seed_semaphore_workers ------------------------------------

aio::Task<int> worker050(int i, aio::Semaphore& sem) {
  log("worker " + std::to_string(i) + " waiting");
  {
    auto guard = co_await sem.scoped();
    log("worker " + std::to_string(i) + " working");
    co_await aio::sleep(1 + i % 2);
    log("worker " + std::to_string(i) + " finished");
  }
  co_return i * 10;
}

aio::Task<void> main050() {
  aio::Semaphore sem(2);
  std::vector<aio::Task<int>> ts;
  for (int i = 0; i < 5; ++i) ts.push_back(aio::create_task(worker050(i, sem)));
  std::string res;
  for (auto& t : ts) res += (res.empty() ? "" : ", ") + std::to_string(co_await t);
  log("[" + res + "]");
}

TEST(Semaphore, Conformance050SeedWorkers) {
  synctest::run(main050());
  EXPECT_EQ(synctest::lines(), synctest::expected("050_seed_semaphore_workers"));
}

// ---- conformance 119_semaphore_fairness ----------------------------------------

aio::Task<void> user119(std::string name, aio::Semaphore& sem, double hold) {
  log(name + " waiting");
  try {
    auto guard = co_await sem.scoped();
    log(name + " in");
    co_await aio::sleep(hold);
    log(name + " out");
  } catch (const aio::CancelledError&) {
    log(name + " cancelled");
    throw;
  }
}

aio::Task<void> main119() {
  aio::Semaphore sem(2);
  std::vector<aio::TaskRef> ts;
  const double holds[] = {1, 2, 1, 1, 1};
  for (int i = 0; i < 5; ++i) ts.emplace_back(aio::create_task(user119("u" + std::to_string(i), sem, holds[i])));
  co_await aio::sleep(0.5);
  log("locked " + py(sem.locked()));
  ts[3].cancel();
  co_await synctest::settle(ts);
  log("locked " + py(sem.locked()));
  aio::BoundedSemaphore b(1);
  co_await b.acquire();
  b.release();
  try {
    b.release();
  } catch (const aio::ValueError&) {
    log("bounded over-release: " + synctest::current_exc());
  }
}

TEST(Semaphore, Conformance119Fairness) {
  synctest::run(main119());
  EXPECT_EQ(synctest::lines(), synctest::expected("119_semaphore_fairness"));
}

// ---- unit behaviour ------------------------------------------------------------

TEST(Semaphore, NegativeInitialValueRaises) {
  try {
    aio::Semaphore s(-1);
    FAIL();
  } catch (const aio::ValueError& e) {
    EXPECT_STREQ(e.what(), "Semaphore initial value must be >= 0");
  }
  EXPECT_THROW(aio::BoundedSemaphore(-1), aio::ValueError);
}

TEST(Semaphore, BoundedOverReleaseMessage) {
  aio::BoundedSemaphore b(2);
  try {
    b.release();
    FAIL();
  } catch (const aio::ValueError& e) {
    EXPECT_STREQ(e.what(), "BoundedSemaphore released too many times");
  }
  EXPECT_EQ(b.value(), 2);
  aio::Semaphore plain(0);
  plain.release();  // an unbounded semaphore just counts up
  EXPECT_EQ(plain.value(), 1);
}

aio::Task<void> holder(aio::Semaphore& sem, std::vector<int>& order, int id) {
  co_await sem.acquire();
  order.push_back(id);
}

TEST(Semaphore, ReleaseReservesTheUnitForTheFirstWaiter) {
  std::vector<int> order;
  synctest::run([](std::vector<int>& order) -> aio::Task<void> {
    aio::Semaphore sem(0);
    auto a = aio::create_task(holder(sem, order, 1));
    auto b = aio::create_task(holder(sem, order, 2));
    co_await aio::sleep(0);
    EXPECT_TRUE(sem.locked());
    sem.release();  // reserved for a: value stays 0
    EXPECT_EQ(sem.value(), 0);
    // A newcomer cannot jump the queue: b still waits uncancelled.
    auto c = aio::create_task(holder(sem, order, 3));
    sem.release();  // reserved for b
    co_await synctest::settle(synctest::refs(a, b));
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
    EXPECT_FALSE(c.done());
    sem.release();
    co_await synctest::settle(synctest::refs(c));
    EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(sem.value(), 0);
  }(order));
}

// Woken (unit reserved) and cancelled before running: the unit is returned
// and handed to the next waiter.
TEST(Semaphore, CancelledAfterWakeupPassesUnitOn) {
  std::vector<int> order;
  synctest::run([](std::vector<int>& order) -> aio::Task<void> {
    aio::Semaphore sem(0);
    auto a = aio::create_task(holder(sem, order, 1));
    auto b = aio::create_task(holder(sem, order, 2));
    co_await aio::sleep(0);
    sem.release();
    a.cancel();
    auto outcomes = co_await synctest::settle(synctest::refs(a, b));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"CancelledError", "ok"}));
    EXPECT_EQ(order, (std::vector<int>{2}));
    EXPECT_EQ(sem.value(), 0);
  }(order));
}

TEST(Semaphore, CancelledWhileWaitingTakesNothing) {
  synctest::run([]() -> aio::Task<void> {
    aio::Semaphore sem(1);
    co_await sem.acquire();
    std::vector<int> order;
    auto a = aio::create_task(holder(sem, order, 1));
    co_await aio::sleep(0);
    a.cancel();
    co_await synctest::settle(synctest::refs(a));
    EXPECT_FALSE(sem.locked() && sem.value() != 0);
    sem.release();
    EXPECT_EQ(sem.value(), 1);
    EXPECT_FALSE(sem.locked());
    EXPECT_NE(sem.describe().find("unlocked, value:1"), std::string::npos) << sem.describe();
  }());
}

TEST(Semaphore, ScopedGuardOnBoundedSemaphoreUsesItsRelease) {
  synctest::run([]() -> aio::Task<void> {
    aio::BoundedSemaphore sem(1);
    {
      auto guard = co_await sem.scoped();
      EXPECT_EQ(sem.value(), 0);
    }
    EXPECT_EQ(sem.value(), 1);
    std::vector<std::string> errors;
    aio::get_running_loop().set_exception_handler(
        [&](aio::EventLoop&, const aio::ExceptionContext& c) { errors.push_back(aio::describe_exception(c.exception)); });
    {
      auto guard = co_await sem.scoped();
      sem.release();  // released by hand: the guard's release is one too many
    }
    EXPECT_EQ(errors, (std::vector<std::string>{"ValueError: BoundedSemaphore released too many times"}));
    EXPECT_TRUE(sem.describe().rfind("<BoundedSemaphore object at", 0) == 0) << sem.describe();
  }());
}

}  // namespace
