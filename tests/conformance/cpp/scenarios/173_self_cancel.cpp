// Twin of py/scenarios/173_self_cancel.py: a task cancelling itself is cancelled at its next real
// suspension only; uncancel() does not take it back (3.11); a done callback cancelling a task.
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> quick() { co_return "quick"; }

aio::Task<void> self_cancel(bool uncancel) {
  aio::TaskRef me = aio::current_task();
  aio::EventLoop& loop = aio::get_running_loop();
  log({"cancel self ->", me.cancel("self"), "cancelling", me.cancelling()});
  if (uncancel) log({"uncancel ->", me.uncancel()});
  auto done = loop.create_future<std::string>();
  done.set_result("ready");
  std::string r = co_await done;
  log("awaited done future:", r);
  r = co_await quick();
  log("awaited coroutine:", r);
  try {
    co_await aio::sleep(0);
    log("sleep(0) returned");
  } catch (const aio::CancelledError&) {
    log("sleep(0) raised", fmt_exc());
    throw;
  }
}

aio::Task<void> main_() {
  for (bool uncancel : {false, true}) {
    auto t = aio::create_task(self_cancel(uncancel));
    try {
      co_await t;
    } catch (const aio::CancelledError&) {
      log("task cancelled", t.cancelled());
    }
  }

  aio::EventLoop& loop = aio::get_running_loop();
  auto f = loop.create_future<void>();
  auto t = aio::create_task(aio::sleep(5));
  f.add_done_callback([t](auto&) mutable { log({"callback cancels t ->", t.cancel()}); });
  loop.call_later(1, [f]() mutable { f.set_result(); });
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("t cancelled by the callback", t.cancelled());
  }
}
}  // namespace

AIO_SCENARIO("173_self_cancel") { run(main_); }
