#pragma once
// The native host: epoll_wait with the timeout the loop computed, and an
// eventfd that other threads write to wake it (call_soon_threadsafe, executor
// results). Sockets register here too (see the network I/O issue).
#include "aio/host.hpp"

namespace aio::hosts {

class EpollHost final : public Host {
 public:
  EpollHost();
  ~EpollHost() override;
  EpollHost(const EpollHost&) = delete;
  EpollHost& operator=(const EpollHost&) = delete;

  void poll(EventLoop& loop, double timeout) override;
  void wake() noexcept override;

 private:
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
};

}  // namespace aio::hosts
