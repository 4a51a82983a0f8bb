// aio::run and aio::Runner: the host a runner is given (asyncio's
// loop_factory) and Ctrl-C (asyncio.Runner's SIGINT handling).
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <string>
#include <thread>

#include "aio/aio.hpp"
#include "manual/manual_host.hpp"

#if !defined(__EMSCRIPTEN__)
#include <signal.h>
#endif

namespace {

aio::EventLoop::Options virtual_clock() { return aio::EventLoop::Options{aio::Clock::virtual_time, false}; }

TEST(RunnerHost, RunsItsLoopOnTheGivenHost) {
  auto owned = std::make_unique<aio::hosts::ManualHost>();
  auto* host = owned.get();
  aio::Runner runner(virtual_clock(), std::move(owned));
  EXPECT_EQ(&runner.get_loop().host(), host);
  EXPECT_EQ(runner.run(aio::sleep(2, std::string("slept"))), "slept");
  EXPECT_GT(host->polls(), 0u);
}

TEST(RunnerHost, RunTakesAHostToo) {
  auto owned = std::make_unique<aio::hosts::ManualHost>();
  auto* host = owned.get();
  int answer = aio::run(
      [](aio::hosts::ManualHost* h) -> aio::Task<int> {
        EXPECT_EQ(&aio::get_running_loop().host(), h);
        co_await aio::sleep(1);
        co_return 42;
      }(host),
      virtual_clock(), std::move(owned));
  EXPECT_EQ(answer, 42);
}

// asyncio's texts: asyncio.run() and Runner.run() each name themselves.
TEST(RunnerHost, RunInsideARunningLoopIsARuntimeErrorNamingTheCaller) {
  aio::run(
      []() -> aio::Task<void> {
        try {
          aio::run(aio::sleep(0), virtual_clock());
          ADD_FAILURE() << "expected RuntimeError";
        } catch (const aio::RuntimeError& e) {
          EXPECT_STREQ(e.what(), "asyncio.run() cannot be called from a running event loop");
          EXPECT_EQ(e.hint(), "await the coroutine instead");
        }
        aio::Runner runner(virtual_clock());
        EXPECT_THROW(runner.run(aio::sleep(0)), aio::RuntimeError);
        co_return;
      }(),
      virtual_clock());
}

TEST(RunnerHost, NullHostIsAValueError) {
  EXPECT_THROW(aio::Runner(virtual_clock(), nullptr), aio::ValueError);
}

#if !defined(__EMSCRIPTEN__)

// SIGINT as a shell leaves it for a foreground program (a background one,
// started by a non-interactive shell, has it ignored), restored afterwards.
class DefaultSigint {
 public:
  DefaultSigint() {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    ::sigaction(SIGINT, &dfl, &saved_);
  }
  ~DefaultSigint() { ::sigaction(SIGINT, &saved_, nullptr); }

 private:
  struct sigaction saved_ {};
};

void (*sigint_handler())(int) {
  struct sigaction current {};
  ::sigaction(SIGINT, nullptr, &current);
  return current.sa_handler;
}

// The main task "presses Ctrl-C" and then waits; `caught` records its cleanup.
aio::Task<int> interrupted_main(std::string* log, bool swallow) {
  std::raise(SIGINT);
  try {
    co_await aio::sleep(3600);
    *log += "slept;";
  } catch (const aio::CancelledError&) {
    *log += "cancelled;";
    if (!swallow) throw;
  }
  co_return 7;
}

TEST(RunnerInterrupt, FirstSigintCancelsTheMainTaskThenRaisesKeyboardInterrupt) {
  DefaultSigint dfl;
  std::string log;
  aio::Runner runner;
  EXPECT_THROW(runner.run(interrupted_main(&log, false)), aio::KeyboardInterrupt);
  EXPECT_EQ(log, "cancelled;");
  // Given back: SIGINT has its default action again once run() returned.
  EXPECT_EQ(sigint_handler(), SIG_DFL);
  // The runner goes on working after an interrupt, as asyncio's does.
  EXPECT_EQ(runner.run(aio::sleep(0, 5)), 5);
}

TEST(RunnerInterrupt, AMainTaskThatSwallowsTheCancellationReturnsItsResult) {
  DefaultSigint dfl;
  std::string log;
  EXPECT_EQ(aio::run(interrupted_main(&log, true)), 7);
  EXPECT_EQ(log, "cancelled;");
}

TEST(RunnerInterrupt, ACancellationNotFromTheInterruptStaysACancelledError) {
  DefaultSigint dfl;
  EXPECT_THROW(aio::run([]() -> aio::Task<void> {
                 aio::current_task().cancel();
                 co_await aio::sleep(1);
               }()),
               aio::CancelledError);
}

TEST(RunnerInterrupt, LeavesSigintAloneWhenItIsNotAtItsDefault) {
  struct sigaction ignore {}, saved {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGINT, &ignore, &saved);
  std::string log;
  // Ignored, as the program asked: the task sleeps its hour (virtual) through.
  EXPECT_EQ(aio::run(interrupted_main(&log, false), virtual_clock()), 7);
  EXPECT_EQ(log, "slept;");
  EXPECT_EQ(sigint_handler(), SIG_IGN);
  ::sigaction(SIGINT, &saved, nullptr);
}

TEST(RunnerInterrupt, WatchesSigintOnlyFromTheMainThread) {
  DefaultSigint dfl;
  void (*in_main)(int) = nullptr;
  void (*in_thread)(int) = nullptr;
  auto look = [](void (**seen)(int)) -> aio::Task<void> {
    *seen = sigint_handler();
    co_return;
  };
  aio::run(look(&in_main));
  std::thread([&] { aio::run(look(&in_thread)); }).join();
  EXPECT_NE(in_main, SIG_DFL);
  EXPECT_EQ(in_thread, SIG_DFL);
}

TEST(RunnerInterruptDeathTest, SecondSigintEndsAProgramStuckInACallback) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        DefaultSigint dfl;
        aio::run([]() -> aio::Task<void> {
          std::raise(SIGINT);  // handled by the loop, which never gets to it:
          std::raise(SIGINT);  // the second one takes the default action
          for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
          co_return;
        }());
      },
      testing::KilledBySignal(SIGINT), "");
}

TEST(RunnerInterruptDeathTest, AnUncaughtKeyboardInterruptEndsTheProgramAsSigintWould) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        DefaultSigint dfl;
        std::string log;
        // noexcept: what escapes ends in std::terminate, as at the top of main().
        [&]() noexcept { aio::run(interrupted_main(&log, false)); }();
      },
      testing::KilledBySignal(SIGINT), "");
}

#endif  // !__EMSCRIPTEN__

}  // namespace
