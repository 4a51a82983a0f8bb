#include "epoll_host.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>
#include <system_error>

#include "aio/errors.hpp"
#include "aio/event_loop.hpp"

namespace aio::hosts {

unsigned selector_events(std::uint32_t epoll_events) noexcept;  // epoll_selector.cpp

EpollHost::EpollHost() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    int err = errno;
    ::close(epoll_fd_);
    throw std::system_error(err, std::generic_category(), "eventfd");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the wake fd; every other entry points at its IoWatcher
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) < 0) {
    int err = errno;
    ::close(wake_fd_);
    ::close(epoll_fd_);
    throw std::system_error(err, std::generic_category(), "epoll_ctl(eventfd)");
  }
}

EpollHost::~EpollHost() {
  release_interrupt();
  extension.reset();  // aio::net's per-loop state unregisters its fds first
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

namespace {

// epoll_pwait2 (Linux 5.11) takes the timeout in nanoseconds; epoll_wait's
// milliseconds, rounded up, made every timer late by half a millisecond on
// average. Older kernels (ENOSYS) fall back to epoll_wait for good.
std::atomic<bool> g_have_pwait2{true};

int wait_for_events(int epfd, epoll_event* events, int max, double timeout) {
  if (g_have_pwait2.load(std::memory_order_relaxed)) {
    timespec ts{};
    timespec* tsp = nullptr;
    if (timeout >= 0) {
      double whole = std::floor(timeout);
      ts.tv_sec = static_cast<time_t>(whole);
      ts.tv_nsec = static_cast<long>(std::ceil((timeout - whole) * 1e9));  // never early
      if (ts.tv_nsec > 999999999) ts.tv_nsec = 999999999;
      tsp = &ts;
    }
    int n = ::epoll_pwait2(epfd, events, max, tsp, nullptr);
    if (n >= 0 || errno != ENOSYS) return n;
    g_have_pwait2.store(false, std::memory_order_relaxed);
  }
  // Round up: waking a hair early would cost a second, empty iteration.
  int timeout_ms = timeout < 0 ? -1 : static_cast<int>(std::ceil(timeout * 1000.0));
  return ::epoll_wait(epfd, events, max, timeout_ms);
}

// The interrupt (SIGINT) handling of set_interrupt_handler. Process-wide, as
// signal dispositions are: one host at a time has it.
std::atomic<int> g_interrupt_wake_fd{-1};  // the owner's eventfd
std::atomic<int> g_interrupts{0};          // since the owner took SIGINT
std::atomic<bool> g_interrupt_pending{false};
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free,
              "used in a signal handler");

extern "C" void aio_interrupt_handler(int) {
  int saved = errno;
  if (g_interrupts.fetch_add(1, std::memory_order_relaxed) >= 1) {
    // The second interrupt: the default action now (see Host).
    ::signal(SIGINT, SIG_DFL);
    ::raise(SIGINT);
  } else {
    g_interrupt_pending.store(true, std::memory_order_release);
    std::uint64_t one = 1;
    [[maybe_unused]] auto r = ::write(g_interrupt_wake_fd.load(std::memory_order_relaxed), &one, sizeof one);
  }
  errno = saved;
}

bool has_handler(void (*handler)(int)) {
  struct sigaction current {};
  ::sigaction(SIGINT, nullptr, &current);
  return !(current.sa_flags & SA_SIGINFO) && current.sa_handler == handler;
}

}  // namespace

bool EpollHost::set_interrupt_handler(EventLoop&, std::function<void()> on_interrupt) {
  if (!on_interrupt) return release_interrupt();
  if (on_interrupt_) {
    on_interrupt_ = std::move(on_interrupt);
    return true;
  }
  if (::gettid() != ::getpid() || g_interrupt_wake_fd.load(std::memory_order_relaxed) >= 0 || !has_handler(SIG_DFL))
    return false;
  g_interrupts.store(0, std::memory_order_relaxed);
  g_interrupt_pending.store(false, std::memory_order_relaxed);
  g_interrupt_wake_fd.store(wake_fd_, std::memory_order_relaxed);
  struct sigaction sa {};
  sa.sa_handler = aio_interrupt_handler;
  sigemptyset(&sa.sa_mask);
  if (::sigaction(SIGINT, &sa, nullptr) < 0) {
    g_interrupt_wake_fd.store(-1, std::memory_order_relaxed);
    return false;
  }
  on_interrupt_ = std::move(on_interrupt);
  return true;
}

bool EpollHost::release_interrupt() noexcept {
  if (!on_interrupt_) return false;
  on_interrupt_ = nullptr;
  // Unless the program installed a handler of its own meanwhile.
  if (has_handler(aio_interrupt_handler)) ::signal(SIGINT, SIG_DFL);
  g_interrupt_wake_fd.store(-1, std::memory_order_relaxed);
  g_interrupt_pending.store(false, std::memory_order_relaxed);
  return true;
}

void EpollHost::poll(EventLoop& loop, double timeout) {
  wait_and_dispatch(timeout);
  // After the wait, which the interrupt's write to the wake fd ends.
  if (on_interrupt_ && g_interrupt_pending.exchange(false, std::memory_order_acq_rel)) [[unlikely]]
    loop.call_soon(on_interrupt_, "interrupt");
}

void EpollHost::wait_and_dispatch(double timeout) {
  // A non-blocking poll with nothing registered can only find the wake fd,
  // and what a wake announces the loop already sees through its own flag
  // (call_soon_threadsafe's queue). Skipping the syscall is what lets a loop
  // of pure coroutine switches run at memory speed: it was a third of each
  // iteration. A counter left set makes the next blocking poll return at
  // once, which drains it.
  if (timeout == 0 && registered_ == 0) return;
  epoll_event events[64];
  int n = 0;
  if (busy_poll_ > 0 && timeout != 0 && last_poll_found_io_) {
    const double limit = timeout < 0 ? busy_poll_ : std::min(busy_poll_, timeout);
    const auto start = std::chrono::steady_clock::now();
    double spent = 0;
    do {
      n = wait_for_events(epoll_fd_, events, 64, 0);
      if (n != 0) break;
      spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (spent < limit);
    if (n == 0 && timeout > 0) timeout = std::max(0.0, timeout - spent);
  }
  if (n == 0) n = wait_for_events(epoll_fd_, events, 64, timeout);
  last_poll_found_io_ = n > 0;
  if (n < 0) {
    if (errno == EINTR) return;
    throw std::system_error(errno, std::generic_category(), "epoll_wait");
  }
  for (int i = 0; i < n; ++i) {
    if (auto* watcher = static_cast<IoWatcher*>(events[i].data.ptr)) {
      watcher->io_ready(selector_events(events[i].events));
    } else {
      std::uint64_t value;
      // Drain the counter; the woken work is already in the loop's queue.
      while (::read(wake_fd_, &value, sizeof value) > 0) {
      }
    }
  }
}

void EpollHost::set_busy_poll(double seconds) {
  if (!(seconds >= 0)) throw ValueError("busy poll must be a duration in seconds >= 0 (0 turns it off)");
  busy_poll_ = seconds;
  if (seconds == 0) last_poll_found_io_ = false;
}

void EpollHost::wake() noexcept {
  std::uint64_t one = 1;
  // EAGAIN means the counter is saturated: the loop is being woken anyway.
  [[maybe_unused]] auto r = ::write(wake_fd_, &one, sizeof one);
}

}  // namespace aio::hosts

namespace aio {
std::unique_ptr<Host> make_default_host() { return std::make_unique<hosts::EpollHost>(); }
}  // namespace aio
