#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>

#include "aio/aio.hpp"
#include "unit/threads/loop_thread.hpp"

namespace {

using aio_test::LoopThread;

aio::Task<int> add_later(int a, int b) {
  co_await aio::sleep(0.01);
  co_return a + b;
}

aio::Task<std::string> fail_later() {
  co_await aio::sleep(0);
  throw std::runtime_error("boom");
}

TEST(RunCoroutineThreadsafe, DeliversTheResultToTheCallingThread) {
  LoopThread lt;
  auto f = aio::run_coroutine_threadsafe(add_later(1, 2), lt.loop());
  EXPECT_EQ(f.result(10.0), 3);
  EXPECT_TRUE(f.done());
  EXPECT_FALSE(f.cancelled());
  EXPECT_EQ(f.exception(), nullptr);
}

TEST(RunCoroutineThreadsafe, DeliversTheException) {
  LoopThread lt;
  auto f = aio::run_coroutine_threadsafe(fail_later(), lt.loop());
  EXPECT_THROW(
      {
        try {
          f.result(10.0);
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "boom");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_EQ(aio::describe_exception(f.exception()), "runtime_error: boom");
}

TEST(RunCoroutineThreadsafe, WorksWithAVirtualClockLoop) {
  // An hour of virtual sleep on the other loop takes no real time.
  LoopThread lt(aio::Clock::virtual_time);
  auto f = aio::run_coroutine_threadsafe(
      []() -> aio::Task<double> {
        co_await aio::sleep(3600);
        co_return aio::get_running_loop().time();
      }(),
      lt.loop());
  EXPECT_DOUBLE_EQ(f.result(10.0), 3600.0);
}

TEST(RunCoroutineThreadsafe, CancelFromTheCallerCancelsTheTask) {
  LoopThread lt;
  std::promise<void> started;
  std::promise<std::string> saw_cancel;
  auto f = aio::run_coroutine_threadsafe(
      [](std::promise<void>& started, std::promise<std::string>& saw) -> aio::Task<int> {
        started.set_value();
        try {
          co_await aio::sleep(3600);
        } catch (const aio::CancelledError& e) {
          saw.set_value("cancelled in the task");
          throw;
        }
        co_return 1;
      }(started, saw_cancel),
      lt.loop());
  started.get_future().wait();
  EXPECT_TRUE(f.cancel());
  // concurrent.futures: the future is cancelled at once, on this thread.
  EXPECT_TRUE(f.cancelled());
  EXPECT_TRUE(f.done());
  EXPECT_THROW(f.result(), aio::CancelledError);
  EXPECT_THROW(f.exception(), aio::CancelledError);
  auto saw = saw_cancel.get_future();
  ASSERT_EQ(saw.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(saw.get(), "cancelled in the task");
  EXPECT_TRUE(f.cancel());
}

TEST(RunCoroutineThreadsafe, CancelBeforeTheTaskStartsStillCancelsIt) {
  // As asyncio: the chain is set up on the loop even for a cancelled future,
  // and the task is cancelled after its first step.
  LoopThread lt;
  std::promise<void> gate;
  std::shared_future<void> gate_f = gate.get_future().share();
  // Keep the loop busy so run_coroutine_threadsafe's callback waits.
  lt.loop().call_soon_threadsafe([gate_f] { gate_f.wait(); });
  std::promise<bool> reached_sleep;
  std::promise<bool> finished_sleep;
  auto f = aio::run_coroutine_threadsafe(
      [](std::promise<bool>& reached, std::promise<bool>& finished) -> aio::Task<void> {
        reached.set_value(true);
        try {
          co_await aio::sleep(3600);
          finished.set_value(true);
        } catch (const aio::CancelledError&) {
          finished.set_value(false);
          throw;
        }
      }(reached_sleep, finished_sleep),
      lt.loop());
  EXPECT_TRUE(f.cancel());
  gate.set_value();
  auto reached = reached_sleep.get_future();
  auto finished = finished_sleep.get_future();
  ASSERT_EQ(finished.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(reached.get());
  EXPECT_FALSE(finished.get());
}

TEST(RunCoroutineThreadsafe, TaskCancelledOnItsLoopCancelsTheFuture) {
  LoopThread lt;
  auto f = aio::run_coroutine_threadsafe(
      []() -> aio::Task<int> {
        aio::current_task().cancel();
        co_await aio::sleep(0);
        co_return 1;
      }(),
      lt.loop());
  EXPECT_THROW(f.result(10.0), aio::CancelledError);
  EXPECT_TRUE(f.cancelled());
}

TEST(RunCoroutineThreadsafe, ResultTimesOut) {
  LoopThread lt;
  auto f = aio::run_coroutine_threadsafe(
      []() -> aio::Task<int> {
        co_await aio::sleep(3600);
        co_return 1;
      }(),
      lt.loop());
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(f.result(0.05), aio::TimeoutError);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(45));
  EXPECT_THROW(f.exception(0), aio::TimeoutError);
  EXPECT_FALSE(f.done());
  EXPECT_TRUE(f.cancel());
}

TEST(RunCoroutineThreadsafe, DoneCallbacksRunOnTheCompletingThread) {
  LoopThread lt;
  std::promise<std::thread::id> where;
  auto f = aio::run_coroutine_threadsafe(add_later(2, 3), lt.loop());
  f.add_done_callback([&where](aio::ConcurrentFuture<int> done) {
    EXPECT_EQ(done.result(0), 5);
    where.set_value(std::this_thread::get_id());
  });
  auto w = where.get_future();
  ASSERT_EQ(w.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(w.get(), lt.thread_id());
  // Added after completion: runs at once, here.
  std::thread::id here;
  f.add_done_callback([&here](aio::ConcurrentFuture<int>) { here = std::this_thread::get_id(); });
  EXPECT_EQ(here, std::this_thread::get_id());
}

TEST(RunCoroutineThreadsafe, LoopClosedWithTheTaskPendingCancelsTheFuture) {
  std::optional<aio::ConcurrentFuture<int>> f;
  {
    LoopThread lt;
    f = aio::run_coroutine_threadsafe(
        []() -> aio::Task<int> {
          co_await aio::sleep(3600);
          co_return 1;
        }(),
        lt.loop());
  }  // stop + Runner.close(): the task is cancelled
  EXPECT_TRUE(f->done());
  EXPECT_THROW(f->result(0), aio::CancelledError);
}

TEST(RunCoroutineThreadsafe, RejectsAStartedTask) {
  aio::EventLoop loop(aio_test::virtual_clock());
  LoopThread lt;
  loop.run_until_complete([](aio::EventLoop& other) -> aio::Task<void> {
    auto t = aio::create_task(add_later(1, 1));
    EXPECT_THROW(aio::run_coroutine_threadsafe(t, other), aio::RuntimeError);
    co_await t;
  }(lt.loop()));
}

TEST(RunCoroutineThreadsafe, RaisesOnAClosedLoop) {
  aio::EventLoop loop;
  loop.close();
  EXPECT_THROW(aio::run_coroutine_threadsafe(add_later(1, 1), loop), aio::RuntimeError);
}

TEST(RunCoroutineThreadsafe, AwaitedFromAnotherLoopThroughWrapFuture) {
  LoopThread worker(aio::Clock::virtual_time);
  int r = aio::run(
      [](aio::EventLoop& other) -> aio::Task<int> {
        int a = co_await aio::wrap_future(aio::run_coroutine_threadsafe(add_later(20, 1), other));
        int b = co_await aio::wrap_future(aio::run_coroutine_threadsafe(add_later(20, 1), other));
        co_return a + b;
      }(worker.loop()),
      aio_test::virtual_clock());
  EXPECT_EQ(r, 42);
}

}  // namespace
