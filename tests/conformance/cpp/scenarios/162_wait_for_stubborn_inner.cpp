// Twin of py/scenarios/162_wait_for_stubborn_inner.py: wait_for when the inner answers the
// timeout's cancel with a value or another error; outer cancelled while the inner swallows
// the cancel; wait() of an empty list.
#include "aio/wait.hpp"
#include "aio/wait_for.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> stubborn(std::string name, std::string answer) {
  bool cancelled = false;
  try {
    co_await aio::sleep(10);
    co_return "normal";
  } catch (const aio::CancelledError&) {
    cancelled = true;
  }
  (void)cancelled;
  log(name, "got cancel, cleaning up");
  co_await aio::sleep(0.5);
  if (answer == "value") co_return name + " value";
  throw ValueError(name + " cleanup");
}

aio::Task<void> outer(aio::Task<std::string> inner) {
  try {
    std::string r = co_await aio::wait_for(inner, 5);
    log("outer got", r);
  } catch (const aio::CancelledError&) {
    log("outer cancelled");
    throw;
  }
}

aio::Task<void> main_() {
  std::string r = co_await aio::wait_for(stubborn("s1", "value"), 1);
  log("wait_for returned", r);
  try {
    co_await aio::wait_for(stubborn("s2", "error"), 1);
  } catch (const ValueError&) {
    log("wait_for raised", fmt_exc());
  } catch (const aio::TimeoutError&) {
    log("wait_for raised TimeoutError");
  }

  auto inner = aio::create_task(stubborn("s3", "value"));
  auto o = aio::create_task(outer(inner));
  co_await aio::sleep(1);
  o.cancel();
  try {
    co_await o;
  } catch (const aio::CancelledError&) {
    log("o cancelled", o.cancelled());
  }
  log("inner result", inner.result());

  try {
    std::vector<aio::Task<void>> none;
    co_await aio::wait(none);
  } catch (const aio::ValueError&) {
    log("wait([]):", fmt_exc());
  }
}
}  // namespace

AIO_SCENARIO("162_wait_for_stubborn_inner") { run(main_); }
