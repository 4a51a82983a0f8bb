// Twin of py/scenarios/112_timeout_reschedule.py: asyncio.timeout with reschedule(), expired(),
// and timeout(None) rescheduled later.
#include "aio/timeouts.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  aio::Timeout cm = aio::timeout(1);
  try {
    co_await cm.run([&]() -> aio::Task<void> {
      log("deadline", fixed(*cm.when()));
      co_await aio::sleep(0.5);
      cm.reschedule(loop.time() + 2);
      log("rescheduled to", fixed(*cm.when()));
      co_await aio::sleep(1.8);
      log("still inside", cm.expired());
      co_await aio::sleep(1);
      log("not reached");
    });
  } catch (const aio::TimeoutError&) {
    log("timed out", fmt_exc(), cm.expired());
  }
  aio::Timeout cm2 = aio::timeout(std::nullopt);
  co_await cm2.run([&]() -> aio::Task<void> {
    log("when", cm2.when());
    co_await aio::sleep(5);
    cm2.reschedule(loop.time() + 1);
    co_await aio::sleep(0.5);
    log("inside before deadline", cm2.expired());
  });
  log("left without timeout", cm2.expired());
}
}  // namespace

AIO_SCENARIO("112_timeout_reschedule") { run(main_); }
