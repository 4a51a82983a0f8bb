#pragma once
// The native host: epoll_wait with the timeout the loop computed, and an
// eventfd that other threads write to wake it (call_soon_threadsafe, executor
// results). Sockets register here too (see the network I/O issue).
#include <cstddef>

#include "aio/host.hpp"
#include "aio/selector.hpp"

namespace aio::hosts {

class EpollHost final : public Host, public Selector {
 public:
  EpollHost();
  ~EpollHost() override;
  EpollHost(const EpollHost&) = delete;
  EpollHost& operator=(const EpollHost&) = delete;

  void poll(EventLoop& loop, double timeout) override;
  void wake() noexcept override;

  /// Busy polling, off by default: before a wait that would block, poll
  /// without blocking for up to `seconds` (never past the loop's timeout,
  /// so timers stay on time), but only when the previous poll found I/O,
  /// so an idle loop never spins. It trades CPU for latency: a peer that
  /// answers within the window finds the loop awake, and neither side pays
  /// for a sleep and a wake-up (on loopback the writer's CPU does the
  /// waking; in a VM that is an inter-processor interrupt, a VM exit).
  /// `aio serve --busy-poll US` turns it on. ValueError if negative or NaN.
  void set_busy_poll(double seconds);

  /// SIGINT through a C handler that only sets a flag and wakes this host;
  /// poll() then schedules `on_interrupt`. See Host.
  bool set_interrupt_handler(EventLoop& loop, std::function<void()> on_interrupt) override;
  double busy_poll() const noexcept { return busy_poll_; }

  // Selector (epoll_selector.cpp): sockets, pipes and signal fds register
  // here; poll() hands their readiness to their IoWatcher.
  Selector* selector() noexcept override { return this; }
  void add(int fd, unsigned interest, Mode mode, IoWatcher* watcher) override;
  void modify(int fd, unsigned interest, Mode mode, IoWatcher* watcher) override;
  void remove(int fd) noexcept override;

 private:
  void wait_and_dispatch(double timeout);
  bool release_interrupt() noexcept;

  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  // Descriptors registered through the Selector (the wake fd aside). It can
  // only overcount (a descriptor closed behind aio's back leaves epoll without
  // a DEL), which merely keeps the syscall that poll(0) would skip.
  std::size_t registered_ = 0;
  double busy_poll_ = 0;
  bool last_poll_found_io_ = false;
  std::function<void()> on_interrupt_;  // set while this host has SIGINT
};

}  // namespace aio::hosts
