#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "sync_test_util.hpp"

namespace {

using synctest::log;

std::string py(bool b) { return b ? "True" : "False"; }

// ---- conformance 051_seed_event ------------------------------------------------

aio::Task<void> waiter051(std::string name, aio::Event& ev) {
  log(name + " waiting for event");
  co_await ev.wait();
  log(name + " event received " + py(ev.is_set()));
}

aio::Task<void> setter051(aio::Event& ev) {
  co_await aio::sleep(1);
  log("setting event");
  ev.set();
  log("event set");
}

aio::Task<void> main051() {
  aio::Event ev;
  std::vector<aio::TaskRef> waiters;
  for (int i = 0; i < 3; ++i) waiters.emplace_back(aio::create_task(waiter051("w" + std::to_string(i), ev)));
  // gather(setter(ev), *waiters): the setter coroutine becomes the last-created task.
  auto s = aio::create_task(setter051(ev));
  co_await s;
  co_await synctest::settle(waiters);
  log("all done");
}

TEST(Event, Conformance051SeedEvent) {
  synctest::run(main051());
  EXPECT_EQ(synctest::lines(), synctest::expected("051_seed_event"));
}

// ---- conformance 121_event_set_clear -------------------------------------------

aio::Task<void> waiter121(std::string name, aio::Event& ev) {
  log(name + " wait");
  bool r = co_await ev.wait();
  log(name + " released " + py(r));
}

aio::Task<void> main121() {
  aio::Event ev;
  ev.set();
  log("is_set " + py(ev.is_set()));
  co_await waiter121("early", ev);
  ev.clear();
  log("is_set " + py(ev.is_set()));
  auto a = aio::create_task(waiter121("a", ev));
  auto b = aio::create_task(waiter121("b", ev));
  co_await aio::sleep(1);
  ev.set();
  ev.clear();
  log("set+clear done, is_set " + py(ev.is_set()));
  co_await synctest::settle(synctest::refs(a, b));
  auto c = aio::create_task(waiter121("c", ev));
  co_await aio::sleep(1);
  log("c done? " + py(c.done()));
  ev.set();
  co_await c;
}

TEST(Event, Conformance121SetClear) {
  synctest::run(main121());
  EXPECT_EQ(synctest::lines(), synctest::expected("121_event_set_clear"));
}

// ---- unit behaviour ------------------------------------------------------------

TEST(Event, WaitOnSetEventDoesNotSuspend) {
  synctest::run([]() -> aio::Task<void> {
    aio::Event ev;
    ev.set();
    bool other_ran = false;
    aio::get_running_loop().call_soon([&] { other_ran = true; });
    EXPECT_TRUE(co_await ev.wait());
    EXPECT_FALSE(other_ran);
  }());
}

TEST(Event, SetWakesWaitersInOrderOneTripLater) {
  std::vector<int> order;
  synctest::run([](std::vector<int>& order) -> aio::Task<void> {
    aio::Event ev;
    std::vector<aio::TaskRef> ts;
    for (int i = 0; i < 100; ++i)
      ts.emplace_back(aio::create_task([](aio::Event& ev, std::vector<int>& order, int i) -> aio::Task<void> {
        co_await ev.wait();
        order.push_back(i);
      }(ev, order, i)));
    co_await aio::sleep(0);
    EXPECT_EQ(ev.waiter_count(), 100u);
    EXPECT_NE(ev.describe().find("[unset, waiters:100]"), std::string::npos) << ev.describe();
    ev.set();
    ev.set();  // no-op
    EXPECT_TRUE(order.empty());  // set() only schedules
    co_await aio::sleep(0);
    EXPECT_EQ(order.size(), 100u);
    EXPECT_EQ(ev.waiter_count(), 0u);
    co_await synctest::settle(ts);
  }(order));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
}

TEST(Event, CancelledWaiterLeavesAndOthersStillWake) {
  synctest::run([]() -> aio::Task<void> {
    aio::Event ev;
    auto w = [](aio::Event& ev) -> aio::Task<void> { co_await ev.wait(); };
    auto a = aio::create_task(w(ev));
    auto b = aio::create_task(w(ev));
    co_await aio::sleep(0);
    a.cancel("no more");
    co_await aio::sleep(0);
    EXPECT_TRUE(a.cancelled());
    EXPECT_EQ(ev.waiter_count(), 1u);
    ev.set();
    try {
      co_await a;
      ADD_FAILURE();
    } catch (const aio::CancelledError& e) {
      EXPECT_EQ(e.message(), "no more");
    }
    auto outcomes = co_await synctest::settle(synctest::refs(b));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"ok"}));
  }());
}

// Cancelled after set() woke it but before it ran: asyncio's waiter raises
// CancelledError (its future is done, the task's must_cancel flag wins).
TEST(Event, CancelAfterSetStillCancels) {
  synctest::run([]() -> aio::Task<void> {
    aio::Event ev;
    auto a = aio::create_task([](aio::Event& ev) -> aio::Task<void> { co_await ev.wait(); }(ev));
    co_await aio::sleep(0);
    ev.set();
    a.cancel();
    auto outcomes = co_await synctest::settle(synctest::refs(a));
    EXPECT_EQ(outcomes, (std::vector<std::string>{"CancelledError"}));
    EXPECT_EQ(ev.waiter_count(), 0u);
  }());
}

// Tasks still parked on an Event when the loop closes are destroyed with it:
// no leak (LSan) and no dangling link in the event.
TEST(Event, LoopClosedWithWaitersParked) {
  aio::Event ev;
  {
    aio::EventLoop loop(aio::EventLoop::Options{aio::Clock::virtual_time, false});
    loop.set_exception_handler([](aio::EventLoop&, const aio::ExceptionContext&) {});
    auto w = [](aio::Event& ev) -> aio::Task<void> { co_await ev.wait(); };
    (void)loop.create_task(w(ev));         // destroyed by close()
    auto kept = loop.create_task(w(ev));  // outlives close(), destroyed at scope exit
    loop.run_until_complete([]() -> aio::Task<void> { co_await aio::sleep(0.1); }());
    EXPECT_EQ(ev.waiter_count(), 2u);
    loop.close();
    EXPECT_EQ(ev.waiter_count(), 1u);
  }
  EXPECT_EQ(ev.waiter_count(), 0u);
  ev.set();
}

}  // namespace
