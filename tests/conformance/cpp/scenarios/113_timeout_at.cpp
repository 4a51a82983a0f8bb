// Twin of py/scenarios/113_timeout_at.py: timeout_at, a deadline already past (fires at the
// first await), and nested timeouts where the inner one fires first.
#include "aio/timeouts.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  try {
    co_await aio::timeout_at(loop.time() + 1.5).run([]() -> aio::Task<void> { co_await aio::sleep(3); });
  } catch (const aio::TimeoutError&) {
    log("timeout_at fired");
  }
  try {
    co_await aio::timeout_at(loop.time() - 1).run([]() -> aio::Task<void> {
      log("body runs even though deadline passed");
      co_await aio::sleep(0);
      log("not reached");
    });
  } catch (const aio::TimeoutError&) {
    log("past deadline fired at first await");
  }
  try {
    co_await aio::timeout(5).run([]() -> aio::Task<void> {
      try {
        co_await aio::timeout(1).run([]() -> aio::Task<void> { co_await aio::sleep(2); });
      } catch (const aio::TimeoutError&) {
        log("inner timeout fired");
      }
      co_await aio::sleep(10);
    });
  } catch (const aio::TimeoutError&) {
    log("outer timeout fired");
  }
}
}  // namespace

AIO_SCENARIO("113_timeout_at") { run(main_); }
