#pragma once
// A log like the conformance harness's: each line starts with the loop time
// ("%.3f"), then the words separated by spaces, so tests compare against the
// CPython output in tests/conformance/expected/ line for line.
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "aio/aio.hpp"

namespace combinators_test {

inline std::vector<std::string>& lines() {
  static std::vector<std::string> l;
  return l;
}

inline std::string py(bool b) { return b ? "True" : "False"; }

template <class... A>
void log(const A&... words) {
  char t[32];
  std::snprintf(t, sizeof t, "%.3f", aio::get_running_loop().time());
  std::ostringstream os;
  os << t;
  ((os << ' ' << words), ...);
  lines().push_back(os.str());
}

/// Run `main` on a fresh virtual-time loop, with an empty log.
template <class T>
T run_vt(aio::Task<T> main) {
  lines().clear();
  aio::EventLoop::Options o;
  o.clock = aio::Clock::virtual_time;
  return aio::run(std::move(main), o);
}

using Lines = std::vector<std::string>;

}  // namespace combinators_test
