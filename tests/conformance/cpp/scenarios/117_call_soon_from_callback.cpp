// Twin of py/scenarios/117_call_soon_from_callback.py: a callback scheduled from a running
// callback runs in the next iteration, after those already ready; tasks interleave the same way.
#include "harness.hpp"

namespace {
using namespace conformance;

void cb(std::string name, aio::EventLoop* loop, int spawn = 0) {
  log("cb", name);
  for (int i = 0; i < spawn; ++i) {
    std::string child = name + "." + std::to_string(i);
    loop->call_soon([child, loop] { cb(child, loop); });
  }
}

aio::Task<void> task(std::string name) {
  log("task", name, "step 1");
  co_await aio::sleep(0);
  log("task", name, "step 2");
  co_await aio::sleep(0);
  log("task", name, "step 3");
}

aio::Task<void> main_() {
  aio::EventLoop* loop = &aio::get_running_loop();
  loop->call_soon([loop] { cb("A", loop, 2); });
  auto t = aio::create_task(task("T"));
  loop->call_soon([loop] { cb("B", loop, 1); });
  loop->call_soon([loop] { cb("C", loop); });
  co_await aio::sleep(0);
  log("main resumed");
  co_await t;
  log("main done");
}
}  // namespace

AIO_SCENARIO("117_call_soon_from_callback") { run(main_); }
