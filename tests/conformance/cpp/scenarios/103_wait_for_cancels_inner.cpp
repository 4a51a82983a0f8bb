// Twin of py/scenarios/103_wait_for_cancels_inner.py: on timeout wait_for cancels the inner
// task and waits for its cleanup before raising TimeoutError.
#include "aio/wait_for.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> inner() {
  // C++ cannot co_await inside a catch block: the handler's awaits run after it.
  std::exception_ptr cancelled;
  try {
    log("inner start");
    co_await aio::sleep(10);
  } catch (const aio::CancelledError&) {
    cancelled = std::current_exception();
  }
  if (cancelled) {
    log("inner cancelled, cleaning up");
    co_await aio::sleep(0.5);
    log("inner cleanup done");
    std::rethrow_exception(cancelled);
  }
}

aio::Task<void> main_() {
  try {
    co_await aio::wait_for(inner(), 2);
  } catch (const aio::TimeoutError&) {
    log("wait_for raised", fmt_exc());
  }
  std::string r = co_await aio::wait_for(aio::sleep(1, std::string("fast")), 2);
  log("fast result", r);
}
}  // namespace

AIO_SCENARIO("103_wait_for_cancels_inner") { run(main_); }
