#pragma once
// Helpers of the aio::net tests: run a coroutine on a fresh loop with a
// deadline (a hung test fails instead of blocking ctest), count open fds.
#include <dirent.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "aio/aio.hpp"
#include "aio/net.hpp"

namespace nettest {

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
