// Twin of py/scenarios/100_cancel_awaiting_future.py: cancelling a task suspended on a bare
// future cancels that future too; the task sees CancelledError at the await.
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> waiter(aio::Future<void> fut) {
  log("waiter awaiting future");
  try {
    co_await fut;
  } catch (const aio::CancelledError&) {
    log("waiter caught", fmt_exc(), "fut.cancelled", fut.cancelled());
    throw;
  }
}

aio::Task<void> main_() {
  auto fut = aio::get_running_loop().create_future<void>();
  auto t = aio::create_task(waiter(fut));
  co_await aio::sleep(0);
  log({"cancel", t.cancel()});
  log("fut.cancelled before run", fut.cancelled());
  co_await aio::sleep(0);
  log("fut.cancelled after one step", fut.cancelled(), "t.done", t.done());
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("main caught", fmt_exc(), t.cancelled());
  }
}
}  // namespace

AIO_SCENARIO("100_cancel_awaiting_future") { run(main_); }
