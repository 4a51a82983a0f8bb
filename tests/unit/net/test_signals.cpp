// add_signal_handler: a signal delivered to the process runs the handler on
// the loop.
#include <gtest/gtest.h>
#include <signal.h>

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
