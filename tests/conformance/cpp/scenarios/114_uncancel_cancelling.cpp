// Twin of py/scenarios/114_uncancel_cancelling.py: cancelling() counts requests; uncancel()
// decrements; a task that swallows CancelledError and uncancels keeps running.
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> stubborn() {
  aio::TaskRef me = aio::current_task();
  for (int i = 0; i < 3; ++i) {
    try {
      co_await aio::sleep(1);
      log("slept", i);
    } catch (const aio::CancelledError&) {
      log("swallowed cancel, cancelling =", me.cancelling());
      log({"uncancel ->", me.uncancel()});
    }
  }
  co_return "survived";
}

aio::Task<void> main_() {
  auto t = aio::create_task(stubborn());
  co_await aio::sleep(0.5);
  log({"cancel", t.cancel(), "cancelling", t.cancelling()});
  log({"cancel again", t.cancel(), "cancelling", t.cancelling()});
  co_await aio::sleep(0);
  log("after delivery cancelling", t.cancelling());
  std::string r = co_await t;
  log("result", r, "cancelled", t.cancelled());
}
}  // namespace

AIO_SCENARIO("114_uncancel_cancelling") { run(main_); }
