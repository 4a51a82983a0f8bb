#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "aio/aio.hpp"
#include "unit/threads/loop_thread.hpp"

namespace {

using namespace std::chrono_literals;
using aio_test::virtual_clock;

TEST(ConcurrentFuture, ResultBlocksUntilAnotherThreadSetsIt) {
  aio::ConcurrentFuture<std::string> f;
  EXPECT_FALSE(f.done());
  std::thread producer([f]() mutable {
    std::this_thread::sleep_for(10ms);
    ASSERT_TRUE(f.set_running_or_notify_cancel());
    EXPECT_TRUE(f.running());
    f.set_result("ready");
  });
  EXPECT_EQ(f.result(), "ready");
  producer.join();
  EXPECT_TRUE(f.done());
  EXPECT_FALSE(f.running());
}

TEST(ConcurrentFuture, TimeoutRaisesTimeoutError) {
  aio::ConcurrentFuture<int> f;
  EXPECT_THROW(f.result(0.01), aio::TimeoutError);
  EXPECT_THROW(f.result(0), aio::TimeoutError);
  EXPECT_THROW(f.exception(0.01), aio::TimeoutError);
  f.set_result(1);
  EXPECT_EQ(f.result(0), 1);
}

TEST(ConcurrentFuture, CancelFollowsConcurrentFutures) {
  aio::ConcurrentFuture<int> pending;
  EXPECT_TRUE(pending.cancel());
  EXPECT_TRUE(pending.cancel());
  EXPECT_TRUE(pending.cancelled());
  EXPECT_FALSE(pending.set_running_or_notify_cancel());
  EXPECT_THROW(pending.result(), aio::CancelledError);

  aio::ConcurrentFuture<int> running;
  ASSERT_TRUE(running.set_running_or_notify_cancel());
  EXPECT_FALSE(running.cancel());
  EXPECT_THROW(running.set_running_or_notify_cancel(), aio::RuntimeError);
  running.set_result(2);
  EXPECT_FALSE(running.cancel());
  EXPECT_EQ(running.result(), 2);
}

TEST(ConcurrentFuture, SettingTwiceRaisesInvalidStateError) {
  aio::ConcurrentFuture<void> f;
  f.set_result();
  try {
    f.set_exception(std::make_exception_ptr(std::runtime_error("late")));
    ADD_FAILURE() << "no error";
  } catch (const aio::InvalidStateError& e) {
    EXPECT_STREQ(e.what(), "ConcurrentFuture.set_exception(): the future is already finished");
  }
  aio::ConcurrentFuture<int> c;
  c.cancel();
  EXPECT_THROW(c.set_result(1), aio::InvalidStateError);
}

TEST(ConcurrentFuture, ExceptionIsRethrownToEveryReader) {
  aio::ConcurrentFuture<int> f;
  f.set_exception(std::make_exception_ptr(std::out_of_range("nope")));
  EXPECT_THROW(f.result(), std::out_of_range);
  EXPECT_THROW(f.result(), std::out_of_range);
  EXPECT_EQ(aio::describe_exception(f.exception()), "out_of_range: nope");
}

TEST(ConcurrentFuture, CallbacksRunInOrderOnTheCompletingThreadAndSurviveErrors) {
  aio::ConcurrentFuture<int> f;
  std::vector<std::string> calls;
  std::thread::id where;
  f.add_done_callback([&](aio::ConcurrentFuture<int> d) { calls.push_back("first " + std::to_string(d.result())); });
  f.add_done_callback([](aio::ConcurrentFuture<int>) { throw std::runtime_error("callback failure is logged"); });
  f.add_done_callback([&](aio::ConcurrentFuture<int>) {
    calls.push_back("third");
    where = std::this_thread::get_id();
  });
  std::thread::id producer_id;
  std::thread producer([f, &producer_id]() mutable {
    producer_id = std::this_thread::get_id();
    f.set_result(4);
  });
  producer.join();
  EXPECT_EQ(calls, (std::vector<std::string>{"first 4", "third"}));
  EXPECT_EQ(where, producer_id);
}

TEST(WrapFuture, AwaitsAResultFromAPlainThread) {
  auto r = aio::run(
      []() -> aio::Task<int> {
        aio::ConcurrentFuture<int> cf;
        std::thread producer([cf]() mutable {
          std::this_thread::sleep_for(20ms);
          cf.set_result(12);
        });
        // A virtual clock would jump over a timer; it must not jump the hour
        // while the wrapped future is pending.
        auto timer = aio::create_task([]() -> aio::Task<void> { co_await aio::sleep(3600); }());
        int v = co_await aio::wrap_future(cf);
        EXPECT_EQ(aio::get_running_loop().time(), 0.0);
        producer.join();
        timer.cancel();
        co_return v;
      }(),
      virtual_clock());
  EXPECT_EQ(r, 12);
}

TEST(WrapFuture, PropagatesExceptionAndCancellation) {
  aio::run(
      []() -> aio::Task<void> {
        aio::ConcurrentFuture<int> failing;
        failing.set_exception(std::make_exception_ptr(std::runtime_error("remote")));
        try {
          co_await aio::wrap_future(failing);
          ADD_FAILURE() << "no exception";
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "remote");
        }
        aio::ConcurrentFuture<int> cancelled;
        cancelled.cancel();
        auto w = aio::wrap_future(cancelled);
        EXPECT_THROW(co_await w, aio::CancelledError);
        EXPECT_TRUE(w.cancelled());
      }(),
      virtual_clock());
}

TEST(WrapFuture, CancellingTheWrapperCancelsThePendingSource) {
  aio::ConcurrentFuture<int> cf;
  aio::run(
      [](aio::ConcurrentFuture<int> cf) -> aio::Task<void> {
        auto w = aio::wrap_future(cf);
        EXPECT_TRUE(w.cancel());
        co_await aio::sleep(0);  // _call_check_cancel runs
        EXPECT_TRUE(cf.cancelled());
        co_await aio::sleep(0);  // the source's _call_set_state comes back
      }(cf),
      virtual_clock());
  EXPECT_TRUE(cf.cancelled());
}

TEST(WrapFuture, ARunningSourceIsNotCancelled) {
  aio::ConcurrentFuture<int> cf;
  ASSERT_TRUE(cf.set_running_or_notify_cancel());
  std::thread producer;
  aio::run(
      [](aio::ConcurrentFuture<int> cf, std::thread& producer) -> aio::Task<void> {
        auto w = aio::wrap_future(cf);
        w.cancel();
        co_await aio::sleep(0);
        EXPECT_FALSE(cf.cancelled());
        producer = std::thread([cf]() mutable { cf.set_result(3); });
        // The loop waits for the source (the clock is frozen) and drops its
        // result: the wrapper stays cancelled.
        co_await aio::sleep(1);
        EXPECT_TRUE(w.cancelled());
      }(cf, producer),
      virtual_clock());
  producer.join();
  EXPECT_EQ(cf.result(), 3);
}

}  // namespace
