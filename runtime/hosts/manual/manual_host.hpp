#pragma once
// A host with no I/O that never blocks: poll() returns at once, whatever the
// timeout. It suits any loop stepped by hand or run on the virtual clock,
// where the loop jumps time forward itself (tests use it on every platform).
//
// On the real clock a loop waiting for a timer on this host spins through
// empty iterations until the timer is due, and a loop with nothing scheduled
// at all spins for ever (where epoll would sleep for ever): there is nothing
// else that could wake it.
#include <atomic>
#include <cstdint>

#include "aio/host.hpp"

namespace aio::hosts {

class ManualHost final : public Host {
 public:
  /// Returns at once: there is no I/O to wait for and no thread that could
  /// deliver work while we waited.
  void poll(EventLoop& loop, double timeout) override;
  /// Nothing to interrupt: poll() never waits. Counts the calls for tests.
  void wake() noexcept override;

  /// How many times poll() and wake() have been called (for tests).
  std::uint64_t polls() const noexcept { return polls_; }
  std::uint64_t wakes() const noexcept { return wakes_.load(std::memory_order_relaxed); }

 private:
  std::uint64_t polls_ = 0;
  std::atomic<std::uint64_t> wakes_{0};  // wake() may come from any thread
};

}  // namespace aio::hosts
