#pragma once
// Helpers for the sync and queue tests: a timestamped log in the format of
// the conformance harness ("1.000 message"), a virtual-time runner, and the
// CPython output of a conformance scenario to compare against.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "aio/aio.hpp"

namespace synctest {

inline std::vector<std::string>& lines() {
  static std::vector<std::string> l;
  return l;
}

/// Appends "<loop time> <message>" to the log.
inline void log(const std::string& message) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%.3f ", aio::get_running_loop().time());
  lines().push_back(stamp + message);
}

/// Runs `main` on a fresh virtual-time loop, starting with an empty log.
template <class T>
T run(aio::Task<T> main) {
  lines().clear();
  aio::EventLoop::Options options;
  options.clock = aio::Clock::virtual_time;
  return aio::run(std::move(main), options);
}

/// The expected output of tests/conformance/expected/<name>.txt, one line each.
inline std::vector<std::string> expected(const std::string& name) {
  // AIO_TESTS_DIR (tests/CMakeLists.txt), not __FILE__: ccache's base_dir
  // makes the compiler see relative paths.
  std::string path = std::string(AIO_TESTS_DIR) + "/conformance/expected/" + name + ".txt";
  std::ifstream in(path);
  if (!in) ADD_FAILURE() << "cannot read " << path;
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// asyncio.gather(*tasks, return_exceptions=True), reduced to what the tests
/// need: wait for each task in turn and name its outcome.
inline aio::Task<std::vector<std::string>> settle(std::vector<aio::TaskRef> tasks) {
  std::vector<std::string> outcomes;
  for (auto& t : tasks) {
    try {
      co_await t;
      outcomes.push_back("ok");
    } catch (...) {
      outcomes.push_back(aio::exception_type_name(std::current_exception()));
    }
  }
  co_return outcomes;
}

/// The tasks as TaskRefs. (Built outside the coroutine: g++ 12 cannot put a
/// braced list in a coroutine frame, "array used as initializer".)
template <class... Ts>
std::vector<aio::TaskRef> refs(const Ts&... tasks) {
  return std::vector<aio::TaskRef>{aio::TaskRef(tasks)...};
}

/// Python's `fmt_exc`: "Type: message" of the exception being handled.
inline std::string current_exc() { return aio::describe_exception(std::current_exception()); }

}  // namespace synctest
