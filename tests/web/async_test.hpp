#pragma once
// Hand-rolled because GoogleTest (used for everything else) has no
// asynchronous tests. A minimal harness for tests that must let the JS event loop run: GoogleTest
// runs each test to completion on the C++ stack, but the browser host only
// makes progress when control returns to JS. Each test here receives a
// `done` callback it calls (from a later JS turn) when its checks are over;
// tests run one after another and the process exits with the number of
// failures, printing TAP lines (ok / not ok) that ctest shows on failure.
#include <emscripten.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace aio_test {

struct AsyncTest {
  const char* name;
  std::function<void(std::function<void()> done)> body;
};

inline std::vector<AsyncTest>& registry() {
  static std::vector<AsyncTest> tests;
  return tests;
}
inline int& failures() {
  static int n = 0;
  return n;
}
inline bool& current_failed() {
  static bool failed = false;
  return failed;
}

inline void check(bool ok, const char* expr, const char* file, int line, const std::string& detail = {}) {
  if (ok) return;
  current_failed() = true;
  std::printf("#   %s:%d: check failed: %s %s\n", file, line, expr, detail.c_str());
}

inline void run_from(std::size_t i) {
  auto& tests = registry();
  if (i == tests.size()) {
    std::printf("# %d of %zu failed\n", failures(), tests.size());
    std::fflush(stdout);
    emscripten_force_exit(failures() == 0 ? 0 : 1);
    return;
  }
  current_failed() = false;
  bool finished = false;
  tests[i].body([i, finished]() mutable {
    if (finished) return;
    finished = true;
    if (current_failed()) ++failures();
    std::printf("%s %zu - %s\n", current_failed() ? "not ok" : "ok", i + 1, registry()[i].name);
    std::fflush(stdout);
    run_from(i + 1);
  });
}

inline int main_entry() {
  std::printf("1..%zu\n", registry().size());
  run_from(0);
  // Keep the runtime (EXIT_RUNTIME=1, for the exit code) alive after main()
  // returns: the tests go on in later JS turns and exit when done.
  emscripten_exit_with_live_runtime();
  return 0;
}

struct Register {
  Register(const char* name, std::function<void(std::function<void()>)> body) {
    registry().push_back({name, std::move(body)});
  }
};

}  // namespace aio_test

#define ASYNC_TEST(name)                                                  \
  static void name(std::function<void()> done);                           \
  static ::aio_test::Register name##_registered(#name, &name);            \
  static void name(std::function<void()> done)

#define CHECK(expr) ::aio_test::check(static_cast<bool>(expr), #expr, __FILE__, __LINE__)
#define CHECK_MSG(expr, detail) ::aio_test::check(static_cast<bool>(expr), #expr, __FILE__, __LINE__, detail)
