// EpollHost as a Selector: the epoll_ctl side of the native host. Every fd
// aio owns is added once, edge-triggered (EPOLLET) for both directions, and
// stays registered until it is closed: waiting costs no system call, and
// whoever waits has already tried the read or write (see aio/selector.hpp).
#include <sys/epoll.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <system_error>

#include "epoll_host.hpp"

namespace aio::hosts {

// We lean on EPOLLRDHUP to learn of a half-close without reading.
unsigned selector_events(std::uint32_t e) noexcept {
  unsigned r = 0;
  if (e & (EPOLLIN | EPOLLPRI)) r |= Selector::readable;
  if (e & EPOLLOUT) r |= Selector::writable;
  if (e & (EPOLLHUP | EPOLLRDHUP)) r |= Selector::hangup | Selector::readable;
  // An error makes both directions "ready": the next syscall reports it.
  if (e & EPOLLERR) r |= Selector::error | Selector::readable | Selector::writable;
  return r;
}

namespace {
epoll_event make_event(unsigned interest, Selector::Mode mode, IoWatcher* watcher) {
  epoll_event ev{};
  if (interest & Selector::readable) ev.events |= EPOLLIN | EPOLLRDHUP;
  if (interest & Selector::writable) ev.events |= EPOLLOUT;
  if (mode == Selector::Mode::edge) ev.events |= EPOLLET;
  ev.data.ptr = watcher;
  return ev;
}
}  // namespace

void EpollHost::add(int fd, unsigned interest, Mode mode, IoWatcher* watcher) {
  epoll_event ev = make_event(interest, mode, watcher);
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0) {
    ++registered_;
    return;
  }
  // A descriptor number reused after a close that aio did not see: the old
  // registration went with the old file, or is still there (dup): replace it.
  if (errno == EEXIST && ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev) == 0) return;
  throw std::system_error(errno, std::generic_category(), "epoll_ctl(ADD, fd " + std::to_string(fd) + ")");
}

void EpollHost::modify(int fd, unsigned interest, Mode mode, IoWatcher* watcher) {
  epoll_event ev = make_event(interest, mode, watcher);
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev) == 0) return;
  if (errno == ENOENT && ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) == 0) {
    ++registered_;
    return;
  }
  throw std::system_error(errno, std::generic_category(), "epoll_ctl(MOD, fd " + std::to_string(fd) + ")");
}

void EpollHost::remove(int fd) noexcept {
  epoll_event ev{};
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, &ev) == 0 && registered_ > 0) --registered_;
}

}  // namespace aio::hosts
