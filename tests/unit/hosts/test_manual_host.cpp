// The manual host (no I/O, never blocks), the default host of WebAssembly
// builds, and what a build without threads does with executors.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "aio/aio.hpp"
#include "aio/config.hpp"
#include "manual/manual_host.hpp"

namespace {

using aio::hosts::ManualHost;

TEST(ManualHost, PollReturnsAtOnceWhateverTheTimeout) {
  ManualHost host;
  aio::EventLoop loop({}, std::make_unique<ManualHost>());
  host.poll(loop, -1);  // epoll would wait for ever here
  host.poll(loop, 3600);
  host.wake();
  EXPECT_EQ(host.polls(), 2u);
  EXPECT_EQ(host.wakes(), 1u);
}

TEST(ManualHost, RunsAVirtualClockLoop) {
  auto owned = std::make_unique<ManualHost>();
  ManualHost* host = owned.get();
  aio::EventLoop::Options o;
  o.clock = aio::Clock::virtual_time;
  aio::EventLoop loop(o, std::move(owned));
  double fired_at = -1;
  loop.call_later(5, [&] {
    fired_at = loop.time();
    loop.stop();
  });
  loop.run_forever();
  EXPECT_DOUBLE_EQ(fired_at, 5.0);
  EXPECT_GE(host->polls(), 1u);
}

TEST(ManualHost, RealClockTimersFireBySpinning) {
  aio::EventLoop loop({}, std::make_unique<ManualHost>());
  double start = loop.time();
  bool fired = false;
  loop.call_later(0.01, [&] {
    fired = true;
    loop.stop();
  });
  loop.run_forever();
  EXPECT_TRUE(fired);
  EXPECT_GE(loop.time() - start, 0.01);
}

#if !AIO_HAS_THREADS
aio::Task<void> uses_executor(std::string& error) {
  try {
    (void)aio::run_in_executor(aio::get_running_loop(), nullptr, [] { return 1; });
  } catch (const aio::RuntimeError& e) {
    error = e.what();
  }
  co_return;
}

TEST(NoThreads, RunInExecutorRaisesInsteadOfRunningInline) {
  std::string error;
  aio::EventLoop::Options o;
  o.clock = aio::Clock::virtual_time;
  aio::run(uses_executor(error), o);
  EXPECT_NE(error.find("need a threads-enabled build"), std::string::npos) << error;
}

TEST(NoThreads, ThreadPoolExecutorRefusesJobs) {
  aio::ThreadPoolExecutor pool;
  EXPECT_THROW(pool.submit([] {}), aio::RuntimeError);
}
#endif

}  // namespace
