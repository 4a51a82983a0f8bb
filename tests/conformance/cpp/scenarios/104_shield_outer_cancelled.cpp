// Twin of py/scenarios/104_shield_outer_cancelled.py: cancelling the task that awaits a shield
// cancels only the outer future; the inner task runs to completion.
#include "aio/shield.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<int> inner() {
  log("inner start");
  co_await aio::sleep(3);
  log("inner end");
  co_return 42;
}

aio::Task<int> outer(aio::Task<int> t) {
  try {
    co_return co_await aio::shield(t);
  } catch (const aio::CancelledError&) {
    log("outer cancelled, inner.cancelled =", t.cancelled());
    throw;
  }
}

aio::Task<void> main_() {
  auto t = aio::create_task(inner());
  auto o = aio::create_task(outer(t));
  co_await aio::sleep(1);
  o.cancel();
  co_await aio::sleep(0);
  co_await aio::sleep(0);
  log("outer done", o.done(), "cancelled", o.cancelled(), "inner done", t.done());
  int r = co_await t;
  log("inner result", r);
}
}  // namespace

AIO_SCENARIO("104_shield_outer_cancelled") { run(main_); }
