#pragma once
// An event loop running on a thread of its own, for tests of the APIs that
// cross threads. The loop is created, run and closed on that thread (as
// asyncio.Runner would), so everything it owns stays on one thread.
#include <future>
#include <thread>

#include "aio/aio.hpp"
#include "support/virtual_clock.hpp"  // not used here: the threads tests get virtual_clock() through this header

namespace aio_test {

class LoopThread {
 public:
  explicit LoopThread(aio::Clock clock = aio::Clock::real) {
    std::promise<void> started;
    thread_ = std::thread([this, clock, &started] {
      aio::EventLoop::Options options;
      options.clock = clock;
      aio::Runner runner(options);
      loop_ = &runner.get_loop();
      thread_id_ = std::this_thread::get_id();
      loop_->call_soon([&started] { started.set_value(); });
      loop_->run_forever();
      runner.close();  // cancels what is left, like asyncio.run
    });
    started.get_future().wait();
  }
  LoopThread(const LoopThread&) = delete;
  LoopThread& operator=(const LoopThread&) = delete;
  ~LoopThread() { stop(); }

  aio::EventLoop& loop() { return *loop_; }
  std::thread::id thread_id() const { return thread_id_; }

  /// Stops the loop, closes it and joins the thread.
  void stop() {
    if (!thread_.joinable()) return;
    loop_->call_soon_threadsafe([loop = loop_] { loop->stop(); });
    thread_.join();
  }

 private:
  aio::EventLoop* loop_ = nullptr;
  std::thread::id thread_id_;
  std::thread thread_;
};

}  // namespace aio_test
