// Twin of py/scenarios/167_coroutine_misuse_messages.py: awaiting a coroutine object twice and
// Runner.run() inside a running loop raise RuntimeError with asyncio's text.
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<int> value(int v) {
  co_await aio::sleep(0);
  co_return v;
}

aio::Task<void> main_() {
  auto c = value(1);
  int first = co_await c;
  log("first await", first);
  try {
    co_await c;
  } catch (const aio::RuntimeError&) {
    log("second await:", fmt_exc());
  }
  auto t = aio::create_task(value(2));
  int a = co_await t;
  int b = co_await t;
  log("task awaited twice", a, b);
  aio::Runner runner;
  try {
    runner.run(value(3));
  } catch (const aio::RuntimeError&) {
    log("Runner.run inside a loop:", fmt_exc());
  }
  runner.close();
}
}  // namespace

AIO_SCENARIO("167_coroutine_misuse_messages") { run(main_); }
