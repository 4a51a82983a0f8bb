// Twin of py/scenarios/135_call_at_loop_time.py: call_at with loop.time()-relative deadlines,
// a deadline in the past runs on the next iteration after call_soon callbacks.
#include <cstdio>

#include "harness.hpp"

namespace {
using namespace conformance;

auto cb(std::string name) {
  return [name] { log("cb", name); };
}

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  co_await aio::sleep(1);
  double now = loop.time();
  auto h = loop.call_at(now + 0.25, cb("+0.25"));
  loop.call_at(now + 0.125, cb("+0.125"));
  loop.call_at(now - 5, cb("past"));
  loop.call_soon(cb("soon"));
  char when[32];
  std::snprintf(when, sizeof when, "%.3f", h.when());
  log("when", when);
  co_await aio::sleep(0.5);
  loop.call_later(0.1, cb("later 0.1"));
  loop.call_at(loop.time() + 0.1, cb("at +0.1"));
  co_await aio::sleep(0.2);
}
}  // namespace

AIO_SCENARIO("135_call_at_loop_time") { run(main_); }
