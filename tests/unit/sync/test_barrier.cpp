#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "sync_test_util.hpp"

namespace {

using synctest::log;

// ---- conformance 122_barrier ---------------------------------------------------

aio::Task<void> party122(std::string name, aio::Barrier& barrier, std::vector<double> delays) {
  for (std::size_t phase = 0; phase < delays.size(); ++phase) {
    co_await aio::sleep(delays[phase]);
    log(name + " arrives phase " + std::to_string(phase) + " n_waiting " + std::to_string(barrier.n_waiting()));
    int idx = co_await barrier.wait();
    log(name + " passes phase " + std::to_string(phase) + " index " + std::to_string(idx));
  }
}

aio::Task<void> main122() {
  aio::Barrier barrier(3);
  auto p0 = aio::create_task(party122("p0", barrier, {1, 3}));
  auto p1 = aio::create_task(party122("p1", barrier, {2, 1}));
  auto p2 = aio::create_task(party122("p2", barrier, {3, 2}));
  co_await synctest::settle(synctest::refs(p0, p1, p2));
  log("parties " + std::to_string(barrier.parties()) + " broken " + (barrier.broken() ? "True" : "False"));
}

TEST(Barrier, Conformance122) {
  synctest::run(main122());
  EXPECT_EQ(synctest::lines(), synctest::expected("122_barrier"));
}

// ---- unit behaviour ------------------------------------------------------------

TEST(Barrier, PartiesMustBePositive) {
  try {
    aio::Barrier b(0);
    FAIL();
  } catch (const aio::ValueError& e) {
    EXPECT_STREQ(e.what(), "parties must be > 0");
  }
}

TEST(Barrier, SinglePartyPassesAtOnce) {
  synctest::run([]() -> aio::Task<void> {
    aio::Barrier b(1);
    EXPECT_EQ(co_await b.wait(), 0);
    EXPECT_EQ(co_await b.wait(), 0);
    EXPECT_FALSE(b.broken());
  }());
}

aio::Task<void> waiter(aio::Barrier& b, std::vector<std::string>& out) {
  try {
    int i = co_await b.wait();
    out.push_back("index " + std::to_string(i));
  } catch (const aio::BrokenBarrierError& e) {
    out.push_back(e.what());
  }
}

TEST(Barrier, AbortBreaksWaitersAndLaterWaits) {
  std::vector<std::string> out;
  synctest::run([](std::vector<std::string>& out) -> aio::Task<void> {
    aio::Barrier b(3);
    auto a = aio::create_task(waiter(b, out));
    auto c = aio::create_task(waiter(b, out));
    co_await aio::sleep(1);
    EXPECT_EQ(b.n_waiting(), 2);
    co_await b.abort();
    EXPECT_TRUE(b.broken());
    co_await synctest::settle(synctest::refs(a, c));
    EXPECT_EQ(b.n_waiting(), 0);
    co_await waiter(b, out);
    EXPECT_NE(b.describe().find("[broken]"), std::string::npos) << b.describe();
    co_await b.reset();
    EXPECT_FALSE(b.broken());
    EXPECT_NE(b.describe().find("[filling, waiters:0/3]"), std::string::npos) << b.describe();
  }(out));
  EXPECT_EQ(out, (std::vector<std::string>{"Abort or reset of barrier", "Abort or reset of barrier", "Barrier aborted"}));
}

TEST(Barrier, ResetBreaksTheRoundThenRefills) {
  std::vector<std::string> out;
  synctest::run([](std::vector<std::string>& out) -> aio::Task<void> {
    aio::Barrier b(2);
    auto a = aio::create_task(waiter(b, out));
    co_await aio::sleep(1);
    co_await b.reset();
    co_await synctest::settle(synctest::refs(a));
    EXPECT_FALSE(b.broken());
    auto x = aio::create_task(waiter(b, out));
    auto y = aio::create_task(waiter(b, out));
    co_await synctest::settle(synctest::refs(x, y));
  }(out));
  EXPECT_EQ(out, (std::vector<std::string>{"Abort or reset of barrier", "index 1", "index 0"}));
}

TEST(Barrier, CancelledWaiterLeavesTheCount) {
  synctest::run([]() -> aio::Task<void> {
    aio::Barrier b(2);
    auto a = aio::create_task([](aio::Barrier& b) -> aio::Task<void> { co_await b.wait(); }(b));
    co_await aio::sleep(1);
    EXPECT_EQ(b.n_waiting(), 1);
    a.cancel();
    auto outcomes = co_await synctest::settle(synctest::refs(a));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"CancelledError"}));
    EXPECT_EQ(b.n_waiting(), 0);
    EXPECT_FALSE(b.broken());
  }());
}

}  // namespace
