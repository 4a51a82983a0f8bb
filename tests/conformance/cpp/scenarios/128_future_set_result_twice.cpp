// Twin of py/scenarios/128_future_set_result_twice.py: set_result / set_exception on a done
// future raise InvalidStateError("invalid state"); cancel() of a done future returns False.
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  auto f = loop.create_future<int>();
  f.set_result(1);
  std::vector<std::function<void()>> ops{[&] { f.set_result(2); }, [&] { f.set_exception(ValueError("x")); }};
  for (auto& op : ops) {
    try {
      op();
    } catch (const aio::InvalidStateError&) {
      log(fmt_exc());
    }
  }
  log({"cancel done future ->", f.cancel(), "result", f.result()});
  auto g = loop.create_future<int>();
  log({"cancel pending future ->", g.cancel(), "again ->", g.cancel()});
  try {
    g.set_result(3);
  } catch (const aio::InvalidStateError&) {
    log(fmt_exc());
  }
  auto h = loop.create_future<int>();
  h.set_exception(ValueError("stored"));
  try {
    h.set_result(4);
  } catch (const aio::InvalidStateError&) {
    log(fmt_exc());
  }
  log("h.exception()", fmt_exc(h.exception()));
  co_return;
}
}  // namespace

AIO_SCENARIO("128_future_set_result_twice") { run(main_); }
