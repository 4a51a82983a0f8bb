// The combinators used together: each accepts the others' futures, and the
// cancellation accounting (cancel/uncancel) of timeouts and task groups
// nests the way 3.11's does.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "unit/combinators/trace_log.hpp"

namespace {

using namespace combinators_test;

aio::Task<int> value_after(int v, double d) {
  co_await aio::sleep(d);
  co_return v;
}

aio::Task<void> child(std::string name, double d) {
  try {
    co_await aio::sleep(d);
    log(name, "finished");
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    throw;
  }
}

aio::Task<void> main_futures() {
  // A gathering future is a future: wait_for, shield, wait and gather take it.
  auto g = aio::gather(value_after(1, 1), value_after(2, 2));
  auto [a, b] = co_await aio::wait_for(g, 5);
  log("wait_for(gather)", a, b);
  auto inner = aio::gather(value_after(3, 1));
  auto [nested, four] = co_await aio::gather(inner, value_after(4, 0.5));
  log("gather(gather)", std::get<0>(nested), four);
  auto slow = aio::gather(value_after(5, 10));
  try {
    co_await aio::wait_for(slow, 1);
  } catch (const aio::TimeoutError&) {
    log("wait_for(gather) timed out; gather done", py(slow.done()));
  }
  std::vector<aio::GatheringFuture<std::tuple<int>>> gs{aio::gather(value_after(6, 1))};
  auto [done, pending] = co_await aio::wait(gs);
  log("wait(gathers)", done.size(), pending.size());
}

TEST(Composition, FuturesOfEachOther) {
  run_vt(main_futures());
  EXPECT_EQ(lines(), (Lines{"2.000 wait_for(gather) 1 2", "3.000 gather(gather) 3 4",
                            "4.000 wait_for(gather) timed out; gather done True", "5.000 wait(gathers) 1 0"}));
}

// A timeout around a task group: the deadline cancels the body, the group
// cancels its children and re-raises CancelledError, and the timeout turns it
// into TimeoutError.
aio::Task<void> main_timeout_group() {
  aio::Timeout cm = aio::timeout(1.5);
  try {
    co_await cm.run([]() -> aio::Task<void> {
      co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
        (void)tg.create_task(child("a", 1));
        (void)tg.create_task(child("b", 5));
        co_return;
      });
    });
  } catch (const aio::TimeoutError&) {
    log("TimeoutError; expired", py(cm.expired()), "cancelling", aio::current_task().cancelling());
  }
  co_await aio::sleep(1);
  log("the task goes on");
}

TEST(Composition, TimeoutAroundTaskGroup) {
  run_vt(main_timeout_group());
  EXPECT_EQ(lines(), (Lines{"1.000 a finished", "1.500 b cancelled", "1.500 TimeoutError; expired True cancelling 0",
                            "2.500 the task goes on"}));
}

// A failing inner group inside an outer group: the outer group collects the
// inner ExceptionGroup as one error.
aio::Task<void> failing(double d) {
  co_await aio::sleep(d);
  throw std::invalid_argument("inner boom");
}

aio::Task<void> main_nested_error() {
  try {
    co_await aio::task_group([](aio::TaskGroup& outer) -> aio::Task<void> {
      (void)outer.create_task(child("outer-child", 5));
      (void)outer.create_task(aio::task_group([](aio::TaskGroup& inner) -> aio::Task<void> {
        (void)inner.create_task(failing(1));
        (void)inner.create_task(child("inner-child", 5));
        co_return;
      }));
      co_return;
    });
  } catch (const aio::ExceptionGroup& eg) {
    log(eg.what(), aio::exception_type_name(eg.exceptions()[0]));
    try {
      std::rethrow_exception(eg.exceptions()[0]);
    } catch (const aio::ExceptionGroup& inner) {
      log("inner:", inner.what(), aio::describe_exception(inner.exceptions()[0]));
    }
  }
}

TEST(Composition, NestedGroupError) {
  run_vt(main_nested_error());
  EXPECT_EQ(lines(),
            (Lines{"1.000 inner-child cancelled", "1.000 outer-child cancelled",
                   "1.000 unhandled errors in a TaskGroup (1 sub-exception) ExceptionGroup",
                   "1.000 inner: unhandled errors in a TaskGroup (1 sub-exception) invalid_argument: inner boom"}));
}

// Cancelling the parent twice while the group waits for its children: the
// group keeps waiting until they are all done, then raises CancelledError.
aio::Task<void> stubborn_child() {
  try {
    co_await aio::sleep(5);
  } catch (const aio::CancelledError&) {
    log("stubborn child cleaning up");
  }
  co_await aio::sleep(1);
  log("stubborn child done");
}

aio::Task<void> main_double_cancel() {
  auto t = aio::create_task(aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
    (void)tg.create_task(stubborn_child());
    co_return;
  }));
  co_await aio::sleep(1);
  t.cancel();
  co_await aio::sleep(0.5);
  t.cancel();
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("group task cancelled", py(t.cancelled()));
  }
}

TEST(Composition, ParentCancelledTwiceWhileGroupWaits) {
  run_vt(main_double_cancel());
  EXPECT_EQ(lines(), (Lines{"1.000 stubborn child cleaning up", "2.000 stubborn child done",
                            "2.000 group task cancelled True"}));
}

}  // namespace
