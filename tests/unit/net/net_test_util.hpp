#pragma once
// Helpers of the aio::net tests: run a coroutine on a fresh loop with a
// deadline (a hung test fails instead of blocking ctest), count open fds.
#include <dirent.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aio/aio.hpp"
#include "aio/net.hpp"

namespace nettest {

/// A protocol that writes down what happens to it: "made", "eof",
/// "pause_writing", "resume_writing", then "lost" or "lost:<error type>";
/// `lost` is set at the end and `got_all` once `want` bytes arrived.
struct RecordingProtocol : aio::Protocol {
  std::string received;
  std::vector<std::string> events;
  aio::Event lost;
  std::size_t want = 0;
  aio::Event got_all;
  void connection_made(aio::Transport&) override { events.push_back("made"); }
  void data_received(std::string_view d) override {
    received += d;
    if (want && received.size() >= want) got_all.set();
  }
  bool eof_received() override {
    events.push_back("eof");
    return false;
  }
  void pause_writing() override { events.push_back("pause_writing"); }
  void resume_writing() override { events.push_back("resume_writing"); }
  void connection_lost(std::exception_ptr exc) override {
    events.push_back(exc ? "lost:" + aio::exception_type_name(exc) : "lost");
    lost.set();
  }
};

/// Run `main` on a new loop; TimeoutError after `seconds`.
template <class T>
T run(aio::Task<T> main, double seconds = 20) {
  return aio::run(aio::wait_for(std::move(main), std::optional<double>(seconds)));
}

/// Poll `done()` every 5 ms, for at most a second.
template <class F>
aio::Task<void> until(F done) {
  for (int i = 0; i < 200 && !done(); ++i) co_await aio::sleep(0.005);
}

/// Entries of /proc/self/fd (the count includes the fd opendir uses).
inline int open_fd_count() {
  int n = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (auto* e = ::readdir(d))
      if (e->d_name[0] != '.') ++n;
    ::closedir(d);
  }
  return n;
}

/// Raise the soft RLIMIT_NOFILE to `want` (or the hard limit); the new soft limit.
inline rlim_t raise_fd_limit(rlim_t want) {
  rlimit rl{};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < want) {
    rl.rlim_cur = std::min(want, rl.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &rl);
    ::getrlimit(RLIMIT_NOFILE, &rl);
  }
  return rl.rlim_cur;
}

}  // namespace nettest
