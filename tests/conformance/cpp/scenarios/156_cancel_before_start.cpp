// Twin of py/scenarios/156_cancel_before_start.py: a task cancelled before its first step never
// runs its body; uncancel() before the start does not take the cancel back; cancel() of a done
// task returns False.
#include "aio/gather.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> body(std::string name) {
  Finally guard{[name] { log(name, "finally"); }};
  log(name, "body started");
  co_await aio::sleep(1);
  log(name, "body finished");
  co_return name;
}

aio::Task<void> main_() {
  auto t = aio::create_task(body("a"));
  t.add_done_callback([](auto& f) { log("callback: cancelled", f.cancelled(), "done", f.done()); });
  log({"cancel ->", t.cancel("early"), "cancelling", t.cancelling(), "done", t.done()});
  log({"cancel again ->", t.cancel("second"), "cancelling", t.cancelling()});
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("await a:", fmt_exc());
  }
  log("a cancelled", t.cancelled(), "done", t.done());
  try {
    t.result();
  } catch (const aio::CancelledError&) {
    log("a.result():", fmt_exc());
  }
  try {
    t.exception();
  } catch (const aio::CancelledError&) {
    log("a.exception():", fmt_exc());
  }
  log({"cancel done a ->", t.cancel()});

  auto u = aio::create_task(body("b"));
  log({"cancel b ->", u.cancel(), "uncancel ->", u.uncancel(), "cancelling", u.cancelling()});
  co_await aio::sleep(0);
  log("b done", u.done(), "cancelled", u.cancelled());

  auto v = aio::create_task(body("c"));
  co_await aio::sleep(2);
  log({"c result", v.result(), "cancel done c ->", v.cancel(), "cancelled", v.cancelled()});

  auto w = aio::create_task(body("d"));
  log({"cancel d ->", w.cancel("d-msg")});
  auto g = co_await aio::gather(aio::return_exceptions, w);
  log("gather of cancelled-before-start:", std::vector<std::string>{fmt_exc(std::get<0>(g).exception())});
}
}  // namespace

AIO_SCENARIO("156_cancel_before_start") { run(main_); }
