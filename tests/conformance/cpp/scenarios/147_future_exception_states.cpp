// Twin of py/scenarios/147_future_exception_states.py: a task that raised is done, not
// cancelled, and keeps its exception; a task that swallows its cancellation finishes normally.
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> raiser() {
  co_await aio::sleep(1);
  throw RuntimeError("task error");
}

aio::Task<std::string> absorber() {
  try {
    co_await aio::sleep(10);
  } catch (const aio::CancelledError&) {
    log("absorber swallowed cancellation");
  }
  co_return "absorbed";
}

aio::Task<void> main_() {
  auto t = aio::create_task(raiser());
  auto a = aio::create_task(absorber());
  co_await aio::sleep(0.5);
  a.cancel();
  co_await aio::sleep(1);
  log("raiser done", t.done(), "cancelled", t.cancelled(), "exc", fmt_exc(t.exception()));
  log("absorber done", a.done(), "cancelled", a.cancelled(), "result", a.result());
  try {
    co_await t;
  } catch (const RuntimeError&) {
    log("await raiser:", fmt_exc());
  }
}
}  // namespace

AIO_SCENARIO("147_future_exception_states") { run(main_); }
