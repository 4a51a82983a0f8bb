// Twin of py/scenarios/158_shield_inner_fails_late.py: an inner task failing after the shield's
// outer await was cancelled is not marked retrieved; an inner nobody holds reports "Task
// exception was never retrieved" when freed; cancelling the inner cancels the shields on it.
#include "aio/shield.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> inner(std::string name, double d, bool fail) {
  co_await aio::sleep(d);
  if (fail) {
    log(name, "raising");
    throw ValueError(name);
  }
  log(name, "returning");
  co_return name;
}

aio::Task<void> waiter(std::string name, aio::Task<std::string> aw) {
  try {
    std::string r = co_await aio::shield(std::move(aw));
    log(name, "got", r);
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
  } catch (const ValueError&) {
    log(name, "error", fmt_exc());
  }
}

aio::Task<void> main_() {
  auto i1 = aio::create_task(inner("i1", 2, true));
  auto w1 = aio::create_task(waiter("w1", i1));
  co_await aio::sleep(1);
  w1.cancel();
  co_await aio::sleep(2);
  log("i1 done", i1.done(), "exception", fmt_exc(i1.exception()));

  // shield of a coroutine: nobody holds the inner task
  auto w2 = aio::create_task(waiter("w2", inner("i2", 2, true)));
  co_await aio::sleep(1);
  w2.cancel();
  co_await aio::sleep(2);
  log("after gc");  // gc.collect(): nothing to collect with reference counts

  auto i3 = aio::create_task(inner("i3", 5, false));
  auto w3 = aio::create_task(waiter("w3", i3));
  auto w4 = aio::create_task(waiter("w4", i3));
  co_await aio::sleep(1);
  w3.cancel();
  co_await aio::sleep(1);
  i3.cancel();
  co_await aio::sleep(1);
  log("i3 cancelled", i3.cancelled(), "w3 done", w3.done(), "w4 done", w4.done());

  auto i5 = aio::create_task(inner("i5", 1, true));
  auto s = aio::shield(i5);
  s.cancel();
  co_await aio::sleep(2);
  log("i5 exception", fmt_exc(i5.exception()), "s cancelled", s.cancelled());
}
}  // namespace

AIO_SCENARIO("158_shield_inner_fails_late") { run(main_); }
