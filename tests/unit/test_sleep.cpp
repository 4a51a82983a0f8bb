// aio::sleep and the timer that lives in its frame (aio/detail/frame_timer.hpp).
// A sleep's timer is not a heap object: the loop's heap refers to it through a
// slot, and a frame that goes away with its cancelled timer still in the heap
// empties the slot. These tests make frames go away at every point of a
// timer's life (the sanitizer presets turn a dangling reference into a failure).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/trace_recorder.hpp"
#include "support/virtual_clock.hpp"

namespace {

using aio_test::virtual_clock;

TEST(Sleep, ReturnsItsResultAfterTheDelay) {
  aio::EventLoop loop(virtual_clock());
  auto main = [&]() -> aio::Task<std::string> {
    std::string r = co_await aio::sleep(2.5, std::string("done"));
    EXPECT_DOUBLE_EQ(loop.time(), 2.5);
    co_return r;
  };
  EXPECT_EQ(loop.run_until_complete(main()), "done");
  EXPECT_EQ(loop.scheduled_timer_count(), 0u);
}

TEST(Sleep, SleepsAndCallLaterTimersShareOneOrder) {
  // Same deadlines, sleeps and TimerHandles interleaved: the heap orders them
  // exactly as it orders handles alone (heapq's, not FIFO; see
  // EventLoop.SameDeadlineTimersFollowHeapqOrder).
  aio::EventLoop loop(virtual_clock());
  std::vector<std::string> order;
  auto sleeper = [&](std::string name) -> aio::Task<void> {
    co_await aio::sleep(0.5);
    order.push_back(name);
  };
  auto main = [&]() -> aio::Task<void> {
    loop.call_later(0.5, [&] { order.push_back("h1"); });
    auto s1 = aio::create_task(sleeper("s1"));
    auto s2 = aio::create_task(sleeper("s2"));
    co_await aio::sleep(0);  // both sleepers start their timers
    loop.call_later(0.5, [&] { order.push_back("h2"); });
    co_await aio::gather(s1, s2);
  };
  loop.run_until_complete(main());
  // Heap after the pushes (h1, s1, s2, h2): [h1, s1, s2, h2]; heapq's pops
  // give h1, s2, s1, h2, and the timers' callbacks run in that order in one
  // iteration: h1 and h2 print, s2 and s1 are woken and resume in the next.
  EXPECT_EQ(order, (std::vector<std::string>{"h1", "h2", "s2", "s1"}));
}

TEST(Sleep, ACancelledSleepWhoseFrameIsGoneStaysInTheHeapUntilItsTurn) {
  aio::EventLoop loop(virtual_clock());
  bool cancelled = false;
  auto sleeper = [&]() -> aio::Task<void> {
    try {
      co_await aio::sleep(10);
    } catch (const aio::CancelledError&) {
      cancelled = true;
      throw;
    }
  };
  auto main = [&]() -> aio::Task<void> {
    loop.call_later(5, [] {});  // keeps the cancelled sleep's entry off the top
    auto t = aio::create_task(sleeper());
    co_await aio::sleep(0);
    EXPECT_EQ(loop.scheduled_timer_count(), 2u);
    t.cancel();
    co_await aio::gather(aio::return_exceptions, t);
    t = {};  // the task and its frame, with the sleep's timer, are gone
    // asyncio's lazy deletion: the entry is still there, cancelled.
    EXPECT_EQ(loop.scheduled_timer_count(), 2u);
    // A new sleep does not disturb it (it may reuse the timer's slot only
    // once the entry has left the heap).
    co_await aio::sleep(6);
    EXPECT_DOUBLE_EQ(loop.time(), 6);
    // The 5 s timer fired; the cancelled entry reached the top and was dropped.
    EXPECT_EQ(loop.scheduled_timer_count(), 0u);
  };
  loop.run_until_complete(main());
  EXPECT_TRUE(cancelled);
}

TEST(Sleep, ManyCancelledSleepsAreSweptInOnePass) {
  // More than 100 timers and over half of them cancelled: _run_once rebuilds
  // the heap without them, including those whose frames are gone.
  aio::EventLoop loop(virtual_clock());
  std::vector<int> woke;
  auto sleeper = [&](int i) -> aio::Task<void> {
    co_await aio::sleep(1 + i * 0.001);
    woke.push_back(i);
  };
  auto main = [&]() -> aio::Task<void> {
    std::vector<aio::Task<void>> tasks;
    for (int i = 0; i < 200; ++i) tasks.push_back(aio::create_task(sleeper(i)));
    co_await aio::sleep(0);
    EXPECT_EQ(loop.scheduled_timer_count(), 200u);
    for (int i = 0; i < 200; ++i)
      if (i % 4 != 0) tasks[std::size_t(i)].cancel();
    co_await aio::sleep(0);  // the cancelled tasks finish (their frames go)
    std::vector<aio::Task<void>> kept;
    for (int i = 0; i < 200; i += 4) kept.push_back(tasks[std::size_t(i)]);
    tasks.clear();
    co_await aio::sleep(0);  // an iteration that sweeps the heap
    EXPECT_EQ(loop.scheduled_timer_count(), 50u);
    co_await aio::gather(std::move(kept));
  };
  loop.run_until_complete(main());
  std::vector<int> expected;
  for (int i = 0; i < 200; i += 4) expected.push_back(i);
  EXPECT_EQ(woke, expected);
}

TEST(Sleep, ATaskCancelledAfterItsTimerFiredButBeforeItRanIsCancelled) {
  // The timer fired and waits in the ready queue; a callback ahead of it in
  // the same iteration cancels the task. The timer's action then finds no
  // one to wake, and the task gets CancelledError (asyncio: the sleep's
  // future is cancelled before _set_result_unless_cancelled runs).
  aio::EventLoop loop(virtual_clock());
  auto sleeper = []() -> aio::Task<int> {
    co_await aio::sleep(1);
    co_return 1;
  };
  auto main = [&]() -> aio::Task<void> {
    aio::Task<int> t;
    loop.call_at(1, [&] { t.cancel(); });  // pushed first: the heap's root
    t = aio::create_task(sleeper());
    co_await aio::sleep(0);
    EXPECT_THROW(co_await t, aio::CancelledError);
    EXPECT_DOUBLE_EQ(loop.time(), 1);
  };
  loop.run_until_complete(main());
}

TEST(Sleep, ClosingTheLoopDestroysSleepingTasksAndTheirTimers) {
  auto sleeper = [](bool* finally_ran) -> aio::Task<void> {
    struct Finally {
      bool* ran;
      ~Finally() { *ran = true; }
    } f{finally_ran};
    co_await aio::sleep(100);
  };
  bool dropped = false, held_ran = false;
  aio::EventLoop loop(virtual_clock());
  std::vector<std::string> reports;
  loop.set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext& c) { reports.push_back(c.message); });
  aio::Task<void> held;  // outlives close()
  auto main = [&]() -> aio::Task<void> {
    (void)aio::create_task(sleeper(&dropped));
    held = aio::create_task(sleeper(&held_ran));
    co_await aio::sleep(1);
  };
  loop.run_until_complete(main());
  EXPECT_EQ(loop.scheduled_timer_count(), 2u);
  loop.close();
  EXPECT_EQ(loop.scheduled_timer_count(), 0u);
  EXPECT_TRUE(dropped);  // the loop held the only reference
  EXPECT_FALSE(held_ran);
  held = {};  // destroys a frame asleep on a closed loop (its timer is no longer in the heap)
  EXPECT_TRUE(held_ran);
  EXPECT_EQ(reports, (std::vector<std::string>(2, "Task was destroyed but it is pending!")));
}

TEST(Sleep, IsTracedAsATimerNamedSleep) {
  aio::EventLoop loop(virtual_clock());
  aio::TraceRecorder rec;
  loop.set_tracer(&rec);
  auto main = []() -> aio::Task<void> { co_await aio::sleep(1); };
  loop.run_until_complete(main());
  std::vector<std::string> kinds;
  for (const aio::TraceEvent& e : rec.events())
    if (e.name == "sleep") kinds.push_back(aio::trace_kind_name(e.kind));
  // asyncio's sleep: call_later, the timer fires, its callback runs, and
  // the sleep's `finally: h.cancel()` cancels the (spent) handle.
  EXPECT_EQ(kinds, (std::vector<std::string>{"timer_scheduled", "timer_fired", "callback_run", "timer_cancelled"}));
}

}  // namespace
