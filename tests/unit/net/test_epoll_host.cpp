// The native host's busy polling (EpollHost::set_busy_poll). Here, beside
// the net tests, because it needs the epoll host and I/O to poll for.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <string>

#include "epoll/epoll_host.hpp"
#include "net_test_util.hpp"

namespace {

aio::hosts::EpollHost& epoll_host() {
  auto* host = dynamic_cast<aio::hosts::EpollHost*>(&aio::get_running_loop().host());
  if (!host) throw std::logic_error("not on the epoll host");
  return *host;
}

// A busy poll of 5 seconds, with I/O in the poll before each timer: the
// spin must stop at the timer's deadline, and I/O arriving during a spin
// must still be delivered. (Without the deadline the timers would be up to
// 5 s late; the bound below is 1 s, far from both.)
aio::Task<void> busy_poll_keeps_timers_and_io() {
  auto& loop = aio::get_running_loop();
  epoll_host().set_busy_poll(5.0);
  EXPECT_EQ(epoll_host().busy_poll(), 5.0);
  int fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  std::string got;
  aio::Event three;
  aio::add_reader(loop, fds[0], [&] {
    char buf[16];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) got.append(buf, static_cast<std::size_t>(n));
    if (got.size() >= 3) three.set();
  });
  for (int i = 0; i < 3; ++i) {
    // I/O now, so that the poll before the timer spins...
    EXPECT_EQ(::write(fds[1], "x", 1), 1);
    double start = loop.time();
    double fired = -1;
    aio::Event timer_done;
    loop.call_later(0.02, [&] {
      fired = loop.time();
      timer_done.set();
    });
    co_await timer_done.wait();
    // ...and the timer still fires on time, not after the 5 s spin.
    EXPECT_GE(fired - start, 0.02);
    EXPECT_LT(fired - start, 1.0) << "round " << i;
  }
  co_await three.wait();
  EXPECT_EQ(got, "xxx");

  // I/O that arrives while the loop spins (written from a timer of its own:
  // no wake-up) is delivered during the spin.
  aio::Event fourth;
  std::size_t before = got.size();
  aio::remove_reader(loop, fds[0]);
  aio::add_reader(loop, fds[0], [&] {
    char buf[16];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) got.append(buf, static_cast<std::size_t>(n));
    fourth.set();
  });
  loop.call_later(0.01, [&] { EXPECT_EQ(::write(fds[1], "y", 1), 1); });
  co_await fourth.wait();
  EXPECT_EQ(got.size(), before + 1);

  epoll_host().set_busy_poll(0);
  aio::remove_reader(loop, fds[0]);
  aio::forget_fd(loop, fds[0]);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(EpollHost, BusyPollNeverSpinsPastTheNextTimerAndStillDeliversIo) { nettest::run(busy_poll_keeps_timers_and_io()); }

aio::Task<void> busy_poll_rejects_bad_durations() {
  auto& host = epoll_host();
  EXPECT_THROW(host.set_busy_poll(-1e-6), aio::ValueError);
  EXPECT_THROW(host.set_busy_poll(std::nan("")), aio::ValueError);
  EXPECT_EQ(host.busy_poll(), 0.0);
  co_return;
}

TEST(EpollHost, BusyPollRejectsNegativeAndNaN) { nettest::run(busy_poll_rejects_bad_durations()); }

}  // namespace
