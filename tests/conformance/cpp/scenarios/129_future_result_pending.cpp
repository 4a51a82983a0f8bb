// Twin of py/scenarios/129_future_result_pending.py: result()/exception() of a pending future
// raise InvalidStateError; of a cancelled one CancelledError; exception() of a success is None.
#include "harness.hpp"

namespace {
using namespace conformance;



aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  auto f = loop.create_future<void>();
  std::vector<std::pair<std::string, std::function<void()>>> ops{{"result", [&] { f.result(); }},
                                                                 {"exception", [&] { (void)f.exception(); }}};
  for (auto& [name, op] : ops) {
    try {
      op();
    } catch (const aio::InvalidStateError&) {
      log(name, "of pending:", fmt_exc());
    }
  }
  f.cancel();
  for (auto& [name, op] : ops) {
    try {
      op();
    } catch (const aio::CancelledError&) {
      log(name, "of cancelled:", fmt_exc());
    }
  }
  auto g = loop.create_future<std::string>();
  g.set_result("ok");
  log("exception() of done:", g.exception(), "result", g.result());
  auto t = aio::create_task(aio::sleep(1));
  try {
    t.result();
  } catch (const aio::InvalidStateError&) {
    log("task result of pending:", fmt_exc());
  }
  co_await t;
}
}  // namespace

AIO_SCENARIO("129_future_result_pending") { run(main_); }
