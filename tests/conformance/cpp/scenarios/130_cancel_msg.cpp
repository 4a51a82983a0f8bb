// Twin of py/scenarios/130_cancel_msg.py: the cancel message reaches the task and the awaiter;
// a later result() of the cancelled task has no message; a cancelled future keeps its own.
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> victim() {
  try {
    co_await aio::sleep(10);
  } catch (const aio::CancelledError& e) {
    // Python's len(e.args): the message is the only argument, when there is one.
    log("inside:", fmt_exc(), "| args", e.message().empty() ? 0 : 1);
    throw;
  }
}

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  auto t = aio::create_task(victim());
  co_await aio::sleep(0);
  t.cancel("stop now");
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("awaiter:", fmt_exc());
  }
  try {
    t.result();
  } catch (const aio::CancelledError&) {
    log("result():", fmt_exc());
  }
  auto t2 = aio::create_task(victim());
  co_await aio::sleep(0);
  t2.cancel();
  try {
    co_await t2;
  } catch (const aio::CancelledError&) {
    log("no msg awaiter:", fmt_exc());
  }
  auto f = loop.create_future<void>();
  f.cancel("future msg");
  try {
    f.result();
  } catch (const aio::CancelledError&) {
    log("future result():", fmt_exc());
  }
  try {
    co_await f;
  } catch (const aio::CancelledError&) {
    log("await future:", fmt_exc());
  }
}
}  // namespace

AIO_SCENARIO("130_cancel_msg") { run(main_); }
