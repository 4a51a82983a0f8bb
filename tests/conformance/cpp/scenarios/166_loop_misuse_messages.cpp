// Twin of py/scenarios/166_loop_misuse_messages.py: the exact texts of loop misuse errors
// (running loop re-entered or closed, closed loop used, loop stopped before the future).
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> inside(aio::EventLoop& loop) {
  try {
    loop.run_until_complete(loop.create_future<void>());
  } catch (const aio::RuntimeError&) {
    log("run_until_complete inside:", fmt_exc());
  }
  try {
    loop.run_forever();
  } catch (const aio::RuntimeError&) {
    log("run_forever inside:", fmt_exc());
  }
  try {
    loop.close();
  } catch (const aio::RuntimeError&) {
    log("close inside:", fmt_exc());
  }
  co_return "ok";
}

aio::Task<void> forever() { co_await aio::sleep(100); }
}  // namespace

AIO_SCENARIO("166_loop_misuse_messages") {
  aio::EventLoop& loop = new_loop();
  log({"inside ->", loop.run_until_complete(inside(loop))});
  loop.call_later(1, [&loop] { loop.stop(); });
  auto t = loop.create_task(forever());
  try {
    loop.run_until_complete(t);
  } catch (const aio::RuntimeError&) {
    log("stopped early:", fmt_exc(), "task done", t.done());
  }
  t.cancel();
  try {
    loop.run_until_complete(t);
  } catch (const aio::CancelledError&) {
    log("task cancelled", t.cancelled());
  }
  loop.close();
  log("closed", loop.is_closed());
  loop.close();
  log("second close is a no-op");
  try {
    loop.call_soon([] { print("never"); });
  } catch (const aio::RuntimeError&) {
    log("call_soon closed:", fmt_exc());
  }
  try {
    loop.call_later(1, [] { print("never"); });
  } catch (const aio::RuntimeError&) {
    log("call_later closed:", fmt_exc());
  }
  try {
    (void)loop.create_task(forever());
  } catch (const aio::RuntimeError&) {
    log("create_task closed:", fmt_exc());
  }
  try {
    loop.create_future<int>().set_result(1);
    log("create_future on a closed loop works");
  } catch (const aio::RuntimeError&) {
    log("create_future closed:", fmt_exc());
  }
  try {
    loop.run_forever();
  } catch (const aio::RuntimeError&) {
    log("run_forever closed:", fmt_exc());
  }
}
