// Twin of py/scenarios/140_await_done_future.py: awaiting a done future does not yield to the
// loop; awaiting a pending one or sleep(0) does.
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> other() {
  log("other ran");
  co_return;
}

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  auto f = loop.create_future<std::string>();
  f.set_result("ready");
  auto t = aio::create_task(other());
  log("before await of done future");
  std::string r = co_await f;
  log("after await", r, "| other done?", t.done());
  auto g = loop.create_future<std::string>();
  loop.call_soon([g]() mutable { g.set_result("later"); });
  r = co_await g;
  log("after await pending", r, "| other done?", t.done());
  auto t2 = aio::create_task(other());
  r = co_await aio::sleep(0, std::string("yield"));
  log("after sleep(0)", r, "| other2 done?", t2.done());
}
}  // namespace

AIO_SCENARIO("140_await_done_future") { run(main_); }
