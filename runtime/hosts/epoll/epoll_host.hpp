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

  // Selector (epoll_selector.cpp): sockets, pipes and signal fds register
  // here; poll() hands their readiness to their IoWatcher.
  Selector* selector() noexcept override { return this; }
  void add(int fd, unsigned interest, Mode mode, IoWatcher* watcher) override;
  void modify(int fd, unsigned interest, Mode mode, IoWatcher* watcher) override;
  void remove(int fd) noexcept override;

 private:
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  // Descriptors registered through the Selector (the wake fd aside). It can
  // only overcount (a descriptor closed behind aio's back leaves epoll without
  // a DEL), which merely keeps the syscall that poll(0) would skip.
  std::size_t registered_ = 0;
};

}  // namespace aio::hosts
