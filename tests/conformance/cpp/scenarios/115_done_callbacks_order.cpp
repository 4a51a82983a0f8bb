// Twin of py/scenarios/115_done_callbacks_order.py: done callbacks run in registration order
// via call_soon; remove_done_callback; a callback added to a done future is scheduled.
//
// API difference: asyncio removes callbacks by function equality (remove_done_callback(a)
// removes both registrations of `a`); C++ callables have no equality, so add_done_callback
// returns an id per registration and the twin removes a's two ids, adding up the counts.
#include "harness.hpp"

namespace {
using namespace conformance;

auto cb(std::string name) {
  return [name](aio::Future<std::string>& fut) { log("callback", name, fut.result()); };
}

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  auto fut = loop.create_future<std::string>();
  auto a1 = fut.add_done_callback(cb("a"));
  fut.add_done_callback(cb("b"));
  auto a2 = fut.add_done_callback(cb("a"));
  fut.add_done_callback(cb("c"));
  auto remove_a = [&] { return fut.remove_done_callback(a1) + fut.remove_done_callback(a2); };
  log("removed", remove_a());
  log("removed again", remove_a());
  loop.call_soon([] { log("call_soon before set_result"); });
  fut.set_result("R");
  loop.call_soon([] { log("call_soon after set_result"); });
  log("set_result returned; nothing ran yet");
  co_await aio::sleep(0);
  fut.add_done_callback(cb("late"));
  log("late callback added");
  co_await aio::sleep(0);
  log("end");
}
}  // namespace

AIO_SCENARIO("115_done_callbacks_order") { run(main_); }
