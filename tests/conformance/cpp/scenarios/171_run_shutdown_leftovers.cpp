// Twin of py/scenarios/171_run_shutdown_leftovers.py: the Runner's shutdown cancels leftover
// tasks in creation order and awaits them, reports a cleanup failure, then closes an async
// generator left suspended.
#include <optional>

#include "aio/async_generator.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> stubborn() {
  try {
    co_await aio::sleep(100);
  } catch (const aio::CancelledError&) {
    log("stubborn: cancelled, finishing anyway");
  }
  co_await aio::sleep(1);
  log("stubborn: finished");
  co_return "kept";
}

aio::Task<void> failing() {
  try {
    co_await aio::sleep(100);
  } catch (const aio::CancelledError&) {
    log("failing: cancelled, cleanup raises");
    throw ValueError("cleanup failed");
  }
}

aio::Task<void> polite() {
  try {
    co_await aio::sleep(100);
  } catch (const aio::CancelledError&) {
    log("polite: cancelled");
    throw;
  }
}

aio::AsyncGenerator<int> ticks() {
  Finally closed{[] { log("ticks: finally (closed)"); }};
  for (int i = 0; i < 10; ++i) {
    co_yield i;
    co_await aio::sleep(0);
  }
}

std::optional<aio::AsyncGenerator<int>> keep;

aio::Task<std::string> main_() {
  (void)aio::create_task(stubborn());
  (void)aio::create_task(failing());
  (void)aio::create_task(polite());
  keep = ticks();
  log("first tick", *co_await keep->next());
  co_await aio::sleep(1);
  log("main returns");
  co_return "main result";
}
}  // namespace

AIO_SCENARIO("171_run_shutdown_leftovers") {
  log("run ->", run(main_));
  keep.reset();
}
