// Twin of py/scenarios/121_event_set_clear.py: set() wakes the tasks waiting at that moment even
// if clear() follows at once; wait() on a set event returns at once.
#include "aio/gather.hpp"
#include "aio/sync/event.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> waiter(std::string name, aio::Event& ev) {
  log(name, "wait");
  bool r = co_await ev.wait();
  log(name, "released", r);
}

aio::Task<void> main_() {
  aio::Event ev;
  ev.set();
  log("is_set", ev.is_set());
  co_await waiter("early", ev);
  ev.clear();
  log("is_set", ev.is_set());
  auto a = aio::create_task(waiter("a", ev));
  auto b = aio::create_task(waiter("b", ev));
  co_await aio::sleep(1);
  ev.set();
  ev.clear();
  log("set+clear done, is_set", ev.is_set());
  co_await aio::gather(a, b);
  auto c = aio::create_task(waiter("c", ev));
  co_await aio::sleep(1);
  log("c done?", c.done());
  ev.set();
  co_await c;
}
}  // namespace

AIO_SCENARIO("121_event_set_clear") { run(main_); }
