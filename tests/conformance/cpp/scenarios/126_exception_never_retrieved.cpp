// Twin of py/scenarios/126_exception_never_retrieved.py: a task / future whose exception is
// never retrieved reports "... exception was never retrieved" when its last reference goes
// (Python: del + gc.collect(); C++: dropping the last handle); a retrieved one does not.
#include "harness.hpp"

namespace {
using namespace conformance;

void handler(aio::EventLoop&, const aio::ExceptionContext& context) {
  log("handler:", context.message, "|", fmt_exc(context.exception));
}

aio::Task<void> boom(std::string msg) {
  throw ValueError(msg);
  co_return;
}

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  loop.set_exception_handler(handler);
  auto t = aio::create_task(boom("never retrieved"));
  co_await aio::sleep(0);
  log("task done", t.done());
  t = {};  // del t; gc.collect()
  log("after gc (task)");
  auto f = loop.create_future<void>();
  f.set_exception(RuntimeError("future never retrieved"));
  f = {};
  log("after gc (future)");
  t = aio::create_task(boom("retrieved"));
  co_await aio::sleep(0);
  log("exception()", fmt_exc(t.exception()));
  t = {};
  log("after gc (retrieved: no report)");
}
}  // namespace

AIO_SCENARIO("126_exception_never_retrieved") { run(main_); }
