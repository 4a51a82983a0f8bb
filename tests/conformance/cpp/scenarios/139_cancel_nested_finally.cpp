// Twin of py/scenarios/139_cancel_nested_finally.py: cancelling a task runs the except and
// finally blocks of every coroutine in its await chain, innermost first.
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> level3() {
  Finally finally{[] { log("level3 finally"); }};
  log("level3 sleeping");
  co_await aio::sleep(10);
}

aio::Task<void> level2() {
  Finally finally{[] { log("level2 finally"); }};
  try {
    co_await level3();
  } catch (const aio::CancelledError&) {
    log("level2 except, re-raising");
    throw;
  }
}

aio::Task<void> level1() {
  Finally finally{[] { log("level1 finally"); }};
  co_await level2();
  log("not reached");
}

aio::Task<void> main_() {
  auto t = aio::create_task(level1());
  co_await aio::sleep(1);
  t.cancel();
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("main: task cancelled", t.cancelled());
  }
}
}  // namespace

AIO_SCENARIO("139_cancel_nested_finally") { run(main_); }
