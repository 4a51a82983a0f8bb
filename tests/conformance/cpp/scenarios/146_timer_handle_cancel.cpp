// Twin of py/scenarios/146_timer_handle_cancel.py: cancelled handles never run, cancel() is
// idempotent, a timer can be cancelled from another timer, and cancel() after running sets
// the flag.
#include "harness.hpp"

namespace {
using namespace conformance;

auto cb(std::string name) {
  return [name] { log("cb", name); };
}

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  auto h1 = loop.call_soon(cb("soon-cancelled"));
  h1.cancel();
  h1.cancel();
  loop.call_soon(cb("soon-kept"));
  auto t1 = loop.call_later(1, cb("later-cancelled"));
  auto t2 = loop.call_later(2, cb("later-kept"));
  loop.call_later(0.5, [t1]() mutable { t1.cancel(); });
  co_await aio::sleep(3);
  log("cancelled flags", h1.cancelled(), t1.cancelled(), t2.cancelled());
  t2.cancel();
  log("cancel after run", t2.cancelled());
}
}  // namespace

AIO_SCENARIO("146_timer_handle_cancel") { run(main_); }
