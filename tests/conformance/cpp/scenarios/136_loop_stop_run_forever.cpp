// Twin of py/scenarios/136_loop_stop_run_forever.py: stop() from a callback ends run_forever
// after the current iteration; stop() before run_forever runs exactly one iteration.
#include "harness.hpp"

namespace {
using namespace conformance;

auto cb(aio::EventLoop* loop, std::string name, bool stop = false) {
  return [loop, name, stop] {
    log("cb", name);
    if (stop) loop->stop();
  };
}
}  // namespace

AIO_SCENARIO("136_loop_stop_run_forever") {
  aio::EventLoop& loop = new_loop();
  loop.call_soon(cb(&loop, "a"));
  loop.call_soon(cb(&loop, "b", true));
  loop.call_soon(cb(&loop, "c"));
  loop.call_later(1, cb(&loop, "timer", true));
  loop.run_forever();
  log("run_forever returned (1)", loop.is_running());
  loop.run_forever();
  log("run_forever returned (2)");
  loop.stop();
  loop.call_soon(cb(&loop, "d"));
  loop.run_forever();
  log("run_forever returned (3)");
  loop.close();
}
