// add_signal_handler: a signal delivered to the process runs the handler on
// the loop.
#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

#include "net_test_util.hpp"

namespace {

aio::Task<void> deliver() {
  auto& loop = aio::get_running_loop();
  aio::Event got;
  int count = 0;
  aio::add_signal_handler(loop, SIGUSR1, [&] {
    ++count;
    got.set();
  });
  ::kill(::getpid(), SIGUSR1);
  co_await got.wait();
  EXPECT_EQ(count, 1);
  EXPECT_TRUE(aio::remove_signal_handler(loop, SIGUSR1));
  EXPECT_FALSE(aio::remove_signal_handler(loop, SIGUSR1));
}

TEST(Signals, DeliveredToTheProcess) { nettest::run(deliver()); }

TEST(Signals, InvalidSignals) {
  aio::EventLoop loop;
  EXPECT_THROW(aio::add_signal_handler(loop, 0, [] {}), aio::ValueError);
  EXPECT_THROW(aio::add_signal_handler(loop, 100000, [] {}), aio::ValueError);
  try {
    aio::add_signal_handler(loop, SIGKILL, [] {});
    FAIL() << "expected RuntimeError";
  } catch (const aio::RuntimeError& e) {
    EXPECT_STREQ(e.what(), "sig 9 cannot be caught");
  }
}

}  // namespace

namespace {

// asyncio checks `sig in signal.valid_signals()`: glibc keeps 32 and 33 for
// itself (thread cancellation, setxid), so they are invalid numbers
// (ValueError), not a failed sigaction (OSError).
TEST(Signals, NumbersGlibcReservesAreInvalid) {
  aio::EventLoop loop;
  for (int sig : {32, 33, NSIG}) {
    try {
      aio::add_signal_handler(loop, sig, [] {});
      ADD_FAILURE() << "expected ValueError for " << sig;
    } catch (const aio::ValueError& e) {
      EXPECT_EQ(std::string(e.what()).find("invalid signal number " + std::to_string(sig)), 0u) << e.what();
    }
  }
  EXPECT_THROW(aio::remove_signal_handler(loop, 32), aio::ValueError);
}

// SIGKILL is a valid signal with no handler: removing it is False in
// asyncio, not an error (only adding one is "cannot be caught").
TEST(Signals, RemovingSigkillIsFalse) {
  aio::EventLoop loop;
  EXPECT_FALSE(aio::remove_signal_handler(loop, SIGKILL));
  EXPECT_FALSE(aio::remove_signal_handler(loop, SIGSTOP));
  EXPECT_FALSE(aio::remove_signal_handler(loop, SIGUSR2));
}

aio::Task<void> replace_raise_and_count() {
  auto& loop = aio::get_running_loop();
  std::vector<std::string> errors;
  loop.set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext& ctx) {
    errors.push_back(ctx.message);
  });
  int first = 0, second = 0;
  aio::add_signal_handler(loop, SIGUSR1, [&] { ++first; });
  aio::add_signal_handler(loop, SIGUSR1, [&] { ++second; });  // replaces the first
  ::kill(::getpid(), SIGUSR1);
  ::kill(::getpid(), SIGUSR1);
  ::kill(::getpid(), SIGUSR1);
  // The handler runs on the loop (call_soon), never inside the C handler.
  EXPECT_EQ(second, 0);
  for (int i = 0; i < 5 && second < 3; ++i) co_await aio::sleep(0.01);
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 3);  // each delivery runs it once, as asyncio's wakeup fd does

  // A handler that raises goes to the exception handler; the loop goes on.
  aio::add_signal_handler(loop, SIGUSR1, [] { throw aio::ValueError("handler failed"); });
  ::kill(::getpid(), SIGUSR1);
  for (int i = 0; i < 5 && errors.empty(); ++i) co_await aio::sleep(0.01);
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_TRUE(aio::remove_signal_handler(loop, SIGUSR1));
  loop.set_exception_handler(nullptr);
}

TEST(Signals, ReplacedRaisingAndRepeatedHandlers) { nettest::run(replace_raise_and_count()); }

}  // namespace
