#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "aio/aio.hpp"
#include "unit/threads/loop_thread.hpp"

namespace {

using namespace std::chrono_literals;
using aio_test::virtual_clock;

// A default-executor job that keeps its worker busy until `release`, then
// returns 7.
aio::Future<int> job_held_until(aio::EventLoop& loop, std::atomic<bool>& release) {
  return aio::run_in_executor(loop, nullptr, [&release] {
    while (!release) std::this_thread::sleep_for(1ms);
    return 7;
  });
}

TEST(RunInExecutor, ReturnsTheResultOnTheLoopThread) {
  auto r = aio::run(
      []() -> aio::Task<int> {
        auto loop_thread = std::this_thread::get_id();
        std::thread::id worker;
        int v = co_await aio::run_in_executor(aio::get_running_loop(), nullptr, [&worker] {
          worker = std::this_thread::get_id();
          return 41;
        });
        EXPECT_NE(worker, loop_thread);
        co_return v + 1;
      }(),
      virtual_clock());
  EXPECT_EQ(r, 42);
}

// asyncio's `await loop.shutdown_default_executor()`: the workers are joined
// on a thread of its own while the loop keeps running (what the browser's
// main thread needs: it must not block on a join).
TEST(RunInExecutor, ShutdownDefaultExecutorWaitsWithoutBlockingTheLoop) {
  auto r = aio::run([]() -> aio::Task<int> {
    aio::EventLoop& loop = aio::get_running_loop();
    std::atomic<bool> release{false};
    auto job = job_held_until(loop, release);
    int ticks = 0;
    // Parameters, not captures: the lambda object dies before its coroutine.
    auto ticker = aio::create_task([](int& n, std::atomic<bool>& done) -> aio::Task<void> {
      for (;;) {
        co_await aio::sleep(0.001);
        if (++n == 5) done = true;
      }
    }(ticks, release));
    co_await aio::shutdown_default_executor(loop);  // returns once the job ran and the worker exited
    EXPECT_TRUE(job.done());
    EXPECT_GE(ticks, 5);  // the loop ran while the join waited
    ticker.cancel();
    co_return co_await job;
  }());
  EXPECT_EQ(r, 7);
}

// asyncio 3.12's shutdown_default_executor(timeout): a worker still busy
// past the timeout gets asyncio's RuntimeWarning and the coroutine returns;
// the job finishes later, and its result still reaches the loop.
TEST(RunInExecutor, ShutdownDefaultExecutorGivesUpAfterItsTimeout) {
  testing::internal::CaptureStderr();
  auto r = aio::run([]() -> aio::Task<int> {
    aio::EventLoop& loop = aio::get_running_loop();
    std::atomic<bool> release{false};
    auto job = job_held_until(loop, release);
    double t0 = loop.time();
    co_await aio::shutdown_default_executor(loop, 0.05);
    EXPECT_GE(loop.time() - t0, 0.05);
    EXPECT_FALSE(job.done());  // still running: the worker was not waited for
    release = true;
    co_return co_await job;
  }());
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(r, 7);
  EXPECT_EQ(err, "RuntimeWarning: The executor did not finishing joining its threads within 0.05 seconds.\n");
}

TEST(RunInExecutor, ShutdownDefaultExecutorWithATimeoutReturnsOnceJoined) {
  testing::internal::CaptureStderr();
  aio::run([]() -> aio::Task<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    co_await aio::shutdown_default_executor(loop, 10);  // no executor yet: at once
    auto one = aio::run_in_executor(loop, nullptr, [] { return 1; });  // not in the co_await: g++ 12
    int v = co_await one;
    EXPECT_EQ(v, 1);
    double t0 = loop.time();
    co_await aio::shutdown_default_executor(loop, 10);  // idle workers exit at once
    EXPECT_LT(loop.time() - t0, 5);
  }());
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(RunInExecutor, RaisesTheJobsException) {
  aio::run(
      []() -> aio::Task<void> {
        auto fut = aio::run_in_executor([]() -> int { throw std::invalid_argument("bad input"); });
        try {
          co_await fut;
          ADD_FAILURE() << "no exception";
        } catch (const std::invalid_argument& e) {
          EXPECT_STREQ(e.what(), "bad input");
        }
      }(),
      virtual_clock());
}

TEST(RunInExecutor, MovesTheResultInsteadOfCopyingIt) {
  struct CountCopies {
    int copies = 0;
    CountCopies() = default;
    CountCopies(const CountCopies& o) : copies(o.copies + 1) {}
    CountCopies(CountCopies&&) noexcept = default;
  };
  auto copies = aio::run(
      []() -> aio::Task<int> {
        auto fut = aio::run_in_executor([] { return CountCopies{}; });
        co_await aio::sleep(0.001);  // awaiting would copy: the result stays put
        while (!fut.done()) co_await aio::sleep(0.001);
        co_return fut.result().copies;
      }(),
      virtual_clock());
  EXPECT_EQ(copies, 0);
}

TEST(RunInExecutor, CancellingAQueuedJobMeansItNeverRuns) {
  aio::ThreadPoolExecutor ex(1);
  std::atomic<int> second_ran{0};
  aio::run(
      [](aio::ThreadPoolExecutor& ex, std::atomic<int>& second_ran) -> aio::Task<void> {
        auto& loop = aio::get_running_loop();
        std::promise<void> gate;
        auto gate_f = gate.get_future().share();
        std::promise<void> first_started;
        auto first = aio::run_in_executor(loop, &ex, [gate_f, &first_started] {
          first_started.set_value();
          gate_f.wait();
          return 1;
        });
        first_started.get_future().wait();  // the only worker is busy now
        auto second = aio::run_in_executor(loop, &ex, [&second_ran] { ++second_ran; });
        EXPECT_TRUE(second.cancel());
        co_await aio::sleep(0);  // _call_check_cancel, then the worker-side cancel
        gate.set_value();
        EXPECT_EQ(co_await first, 1);
        EXPECT_TRUE(second.cancelled());
      }(ex, second_ran),
      virtual_clock());
  ex.shutdown(true);
  EXPECT_EQ(second_ran.load(), 0);
}

TEST(RunInExecutor, CancellingARunningJobDropsItsResult) {
  std::atomic<bool> finished{false};
  aio::run(
      [](std::atomic<bool>& finished) -> aio::Task<void> {
        std::promise<void> started;
        auto fut = aio::run_in_executor([&started, &finished] {
          started.set_value();
          std::this_thread::sleep_for(30ms);
          finished = true;
          return 5;
        });
        started.get_future().wait();
        EXPECT_TRUE(fut.cancel());
        EXPECT_THROW(fut.result(), aio::CancelledError);
        // The loop keeps waiting for the job (virtual clock frozen), then
        // the late result is dropped.
        co_await aio::sleep(0.001);
      }(finished),
      virtual_clock());
  EXPECT_TRUE(finished.load());
}

TEST(RunInExecutor, VirtualClockWaitsForExecutorWork) {
  // sleep(1) races a job taking 50 ms of real time: with the virtual clock
  // the job must come back first, because the clock does not jump while
  // executor work is in flight.
  std::vector<std::string> order;
  aio::run(
      [](std::vector<std::string>& order) -> aio::Task<void> {
        auto sleeper = aio::create_task([](std::vector<std::string>& order) -> aio::Task<void> {
          co_await aio::sleep(1);
          order.push_back("sleep done at " + std::to_string(aio::get_running_loop().time()));
        }(order));
        int v = co_await aio::to_thread([] {
          std::this_thread::sleep_for(50ms);
          return 9;
        });
        order.push_back("job " + std::to_string(v) + " at " + std::to_string(aio::get_running_loop().time()));
        co_await sleeper;
      }(order),
      virtual_clock());
  EXPECT_EQ(order, (std::vector<std::string>{"job 9 at 0.000000", "sleep done at 1.000000"}));
}

TEST(ThreadPoolExecutor, ShutdownWhileJobsRunWaitsForThem) {
  aio::ThreadPoolExecutor ex(2);
  std::atomic<int> done{0};
  aio::run(
      [](aio::ThreadPoolExecutor& ex, std::atomic<int>& done) -> aio::Task<void> {
        auto& loop = aio::get_running_loop();
        std::vector<aio::Future<int>> futs;
        for (int i = 0; i < 4; ++i) {
          futs.push_back(aio::run_in_executor(loop, &ex, [i, &done] {
            std::this_thread::sleep_for(20ms);
            ++done;
            return i * 10;
          }));
        }
        ex.shutdown(true);  // blocks the loop until the four jobs ran
        EXPECT_EQ(done.load(), 4);
        EXPECT_THROW(aio::run_in_executor(loop, &ex, [] { return 0; }), aio::RuntimeError);
        int sum = 0;
        for (auto& f : futs) sum += co_await f;
        EXPECT_EQ(sum, 60);
      }(ex, done),
      virtual_clock());
}

TEST(ThreadPoolExecutor, ShutdownWithoutWaitLetsQueuedJobsFinish) {
  std::atomic<int> done{0};
  {
    aio::ThreadPoolExecutor ex(1);
    for (int i = 0; i < 3; ++i)
      ex.submit([&done] {
        std::this_thread::sleep_for(5ms);
        ++done;
      });
    ex.shutdown(false);
    try {
      ex.submit([] {});
      ADD_FAILURE() << "submit after shutdown";
    } catch (const aio::RuntimeError& e) {
      EXPECT_STREQ(e.what(), "cannot schedule new futures after shutdown");
    }
  }  // the destructor joins
  EXPECT_EQ(done.load(), 3);
}

// Python's shutdown(wait=True) joins every worker in each caller. A second
// caller, racing the first, must not return while the first is still
// joining a worker that runs a job.
TEST(ThreadPoolExecutor, EveryShutdownWithWaitReturnsAfterTheWorkersExit) {
  std::atomic<bool> release{false};
  std::atomic<bool> job_done{false};
  std::atomic<bool> second_returned{false};
  aio::ThreadPoolExecutor ex(1);
  std::promise<void> started;
  ex.submit([&] {
    started.set_value();
    while (!release) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(10ms);  // still running after release: a late return shows
    job_done = true;
  });
  started.get_future().wait();
  std::thread first([&ex] { ex.shutdown(true); });
  std::this_thread::sleep_for(20ms);  // usually the first caller is joining by now; either order must hold
  std::thread second([&] {
    ex.shutdown(true);
    EXPECT_TRUE(job_done.load()) << "the second shutdown(true) returned while a worker still ran";
    second_returned = true;
  });
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(second_returned.load());
  release = true;
  first.join();
  second.join();
  EXPECT_TRUE(second_returned.load());
}

TEST(ThreadPoolExecutor, ShutdownWithWaitFromItsOwnWorkerRaises) {
  aio::ThreadPoolExecutor ex(1);
  std::promise<std::string> error;
  ex.submit([&] {
    try {
      ex.shutdown(true);
      error.set_value("");
    } catch (const aio::RuntimeError& e) {
      error.set_value(e.what());
    }
  });
  EXPECT_NE(error.get_future().get().find("would wait for itself"), std::string::npos);
  ex.shutdown(true);  // from another thread it works; the first call already stopped intake
}

// A job that held the last reference to its executor destroys it on its
// own worker, which cannot join itself: that used to end in std::terminate.
// The worker is detached instead, and the pool's other workers are joined.
TEST(ThreadPoolExecutor, AJobHoldingTheLastReferenceDestroysItsExecutor) {
  auto ex = std::make_shared<aio::ThreadPoolExecutor>(2);
  std::promise<void> go;
  std::shared_future<void> released = go.get_future().share();
  std::atomic<bool> other_finished{false};
  std::promise<std::thread::id> destroyed_on;
  // The executor's destructor runs when the job's captures go, on the worker.
  struct DropsTheExecutor {
    std::shared_ptr<aio::ThreadPoolExecutor> ex;
    std::promise<std::thread::id>* destroyed_on;
    ~DropsTheExecutor() {
      if (!ex) return;
      ex.reset();
      destroyed_on->set_value(std::this_thread::get_id());
    }
  };
  auto holder = std::make_shared<DropsTheExecutor>();
  holder->ex = ex;
  holder->destroyed_on = &destroyed_on;
  std::promise<std::thread::id> job_ran_on;
  ex->submit([holder = std::move(holder), released, &job_ran_on] {
    released.wait();
    job_ran_on.set_value(std::this_thread::get_id());
  });
  ex->submit([released, &other_finished] {  // on the second worker: joined by the destructor
    released.wait();
    std::this_thread::sleep_for(20ms);
    other_finished = true;
  });
  ex.reset();  // the first job's captures hold the last reference now
  go.set_value();
  auto destroyed = destroyed_on.get_future();
  ASSERT_EQ(destroyed.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(destroyed.get(), job_ran_on.get_future().get());
  EXPECT_TRUE(other_finished);  // the destructor joined the other worker first
}

TEST(ThreadPoolExecutor, ShutdownWithWaitFromAWorkerRaisesWhileAnotherThreadJoins) {
  // Another thread is joining the workers already (the worker list moved to
  // it): the worker must still raise, not wait for that join, which waits
  // for the worker.
  aio::ThreadPoolExecutor ex(1);
  std::promise<void> started;
  std::promise<std::string> error;
  ex.submit([&] {
    started.set_value();
    std::this_thread::sleep_for(30ms);  // the main thread is in shutdown(true) by now
    try {
      ex.shutdown(true);
      error.set_value("");
    } catch (const aio::RuntimeError& e) {
      error.set_value(e.what());
    }
  });
  started.get_future().wait();
  ex.shutdown(true);  // joins the worker, which raised instead of waiting for this
  EXPECT_NE(error.get_future().get().find("would wait for itself"), std::string::npos);
}

TEST(ThreadPoolExecutor, AnIdleWorkerIsNotCountedForTwoJobs) {
  // After one job, one worker is idle. Two jobs submitted back to back must
  // run concurrently (CPython's idle semaphore): the first waits for the
  // second.
  aio::ThreadPoolExecutor ex(4);
  std::promise<void> warm;
  ex.submit([&warm] { warm.set_value(); });
  warm.get_future().wait();
  std::this_thread::sleep_for(10ms);  // the worker is back to idle
  std::promise<void> signal;
  auto signal_f = signal.get_future();
  std::promise<bool> result;
  ex.submit([&signal_f, &result] { result.set_value(signal_f.wait_for(5s) == std::future_status::ready); });
  ex.submit([&signal] { signal.set_value(); });
  EXPECT_TRUE(result.get_future().get());
}

TEST(ThreadPoolExecutor, AThrowingJobDoesNotKillTheWorker) {
  aio::ThreadPoolExecutor ex(1);
  ex.submit([] { throw std::runtime_error("ignored"); });
  std::promise<int> p;
  ex.submit([&p] { p.set_value(3); });
  EXPECT_EQ(p.get_future().get(), 3);
}

TEST(ThreadPoolExecutor, DefaultSizeFollowsCPython) {
  aio::ThreadPoolExecutor ex;
  auto cores = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_EQ(ex.max_workers(), std::min<std::size_t>(32, cores + 4));
}

TEST(EventLoop, CloseWaitsForTheDefaultExecutorAndDropsLateResults) {
  std::atomic<bool> finished{false};
  {
    aio::EventLoop loop(virtual_clock());
    aio::Future<int> fut;
    loop.run_until_complete([](aio::Future<int>& fut, std::atomic<bool>& finished) -> aio::Task<void> {
      fut = aio::run_in_executor([&finished] {
        std::this_thread::sleep_for(20ms);
        finished = true;
        return 1;
      });
      co_return;
    }(fut, finished));
    loop.close();  // joins the worker; the result never reaches the future
    EXPECT_TRUE(finished.load());
    EXPECT_FALSE(fut.done());
  }
}

}  // namespace
