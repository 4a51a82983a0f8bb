// Twin of py/scenarios/169_event_wait_for_timeout.py: Event.wait under wait_for (a timed-out
// waiter leaves), set() then clear() still releases the waiters, a woken waiter cancelled before
// it ran, Event.wait in a timeout scope.
#include "aio/gather.hpp"
#include "aio/sync/event.hpp"
#include "aio/timeouts.hpp"
#include "aio/wait_for.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> waiter(std::string name, aio::Event& ev, std::optional<double> timeout = std::nullopt) {
  try {
    bool r = co_await aio::wait_for(ev.wait(), timeout);
    log(name, "released", r);
  } catch (const aio::TimeoutError&) {
    log(name, "timed out, is_set", ev.is_set());
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    throw;
  }
}

aio::Task<void> main_() {
  aio::Event ev;
  auto a = aio::create_task(waiter("a", ev, 1));
  auto b = aio::create_task(waiter("b", ev, 3));
  auto c = aio::create_task(waiter("c", ev));
  co_await aio::sleep(2);
  ev.set();
  ev.clear();
  log("set+clear, is_set", ev.is_set());
  co_await aio::gather(a, b, c);

  auto d = aio::create_task(waiter("d", ev));
  auto e = aio::create_task(waiter("e", ev));
  co_await aio::sleep(1);
  ev.set();
  d.cancel();
  co_await aio::gather(aio::return_exceptions, d, e);
  log("d cancelled", d.cancelled(), "e done", e.done());

  ev.clear();
  try {
    co_await aio::timeout(1, [&]() -> aio::Task<void> { co_await ev.wait(); });
  } catch (const aio::TimeoutError&) {
    log("Event.wait in timeout(1) expired, is_set", ev.is_set());
  }
  aio::EventLoop& loop = aio::get_running_loop();
  loop.call_later(0.5, [&ev] { ev.set(); });
  aio::Timeout cm = aio::timeout(1);
  bool r = co_await cm.run([&]() -> aio::Task<bool> { co_return co_await ev.wait(); });
  log("set in time", r, "expired", cm.expired());
}
}  // namespace

AIO_SCENARIO("169_event_wait_for_timeout") { run(main_); }
