#include <gtest/gtest.h>

#include <string>

#include "aio/aio.hpp"
#include "unit/combinators/trace_log.hpp"

namespace {

using namespace combinators_test;

// "ExceptionGroup: msg (n sub-exceptions)" and one "  Type: msg" line per
// sub-exception, like the harness's print_exc.
void log_group(const std::string& label, const aio::BaseExceptionGroup& eg,
               std::exception_ptr whole = std::current_exception()) {
  log(label, aio::describe_exception(whole));
  for (const auto& e : eg.exceptions()) lines().push_back("  " + aio::describe_exception(e));
}

// ---- scenario 110: errors, cancellation of siblings and body ---------------

struct ZeroDivisionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

aio::Task<void> fail(std::string name, double d, bool cleanup_fail = false) {
  try {
    co_await aio::sleep(d);
    log(name, "raising");
    throw std::invalid_argument(name);
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    if (cleanup_fail) throw ZeroDivisionError(name + " cleanup");
    throw;
  }
}

aio::Task<void> sleeper(std::string name, double d) {
  co_await aio::sleep(d);
  log(name, "finished");
}

aio::Task<void> main110() {
  try {
    co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
      (void)tg.create_task(sleeper("s1", 5));
      (void)tg.create_task(fail("f1", 1));
      (void)tg.create_task(fail("f2", 5, true));
      (void)tg.create_task(sleeper("s2", 0.5));
      log("body waiting");
      try {
        co_await aio::sleep(10);
      } catch (const aio::CancelledError&) {
        log("body cancelled");
        throw;
      }
    });
  } catch (const aio::ExceptionGroup& eg) {
    // Python splits with except*; here each part is looked at in turn.
    for (const auto& e : eg.exceptions()) {
      std::string kind = aio::exception_type_name(e);
      aio::ExceptionGroup part(eg.message(), {e});
      log_group("caught " + kind + " part:", part, std::make_exception_ptr(part));
    }
  }
  try {
    co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
      (void)tg.create_task(fail("g1", 1));
      (void)tg.create_task(fail("g2", 1));
      co_return;
    });
  } catch (const aio::ExceptionGroup& eg) {
    log_group("whole group:", eg);
  }
}

TEST(TaskGroup, ErrorsCancelSiblingsAndBody_110) {
  run_vt(main110());
  EXPECT_EQ(lines(), (Lines{"0.000 body waiting", "0.500 s2 finished", "1.000 f1 raising", "1.000 f2 cancelled",
                            "1.000 body cancelled",
                            "1.000 caught invalid_argument part: ExceptionGroup: unhandled errors in a TaskGroup "
                            "(1 sub-exception)",
                            "  invalid_argument: f1",
                            "1.000 caught ZeroDivisionError part: ExceptionGroup: unhandled errors in a TaskGroup "
                            "(1 sub-exception)",
                            "  ZeroDivisionError: f2 cleanup", "2.000 g1 raising", "2.000 g2 raising",
                            "2.000 whole group: ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)",
                            "  invalid_argument: g1", "  invalid_argument: g2"}));
}

// ---- scenario 111: nested groups, outer task cancelled ------------------------

aio::Task<void> child(std::string name, double d) {
  try {
    co_await aio::sleep(d);
    log(name, "finished");
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    throw;
  }
}

aio::Task<void> inner_group() {
  struct Finally {
    ~Finally() { log("inner_group finally"); }
  } finally;
  co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
    (void)tg.create_task(child("inner-a", 5));
    (void)tg.create_task(child("inner-b", 1));
    co_return;
  });
  log("inner group exited normally");
}

aio::Task<void> outer() {
  try {
    co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
      (void)tg.create_task(child("outer-a", 5));
      (void)tg.create_task(inner_group());
      co_return;
    });
  } catch (const aio::CancelledError&) {
    log("outer saw CancelledError");
    throw;
  }
}

aio::Task<void> main111() {
  auto t = aio::create_task(outer());
  co_await aio::sleep(2);
  t.cancel();
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("main: outer task cancelled", py(t.cancelled()));
  }
}

TEST(TaskGroup, NestedOuterCancel_111) {
  run_vt(main111());
  EXPECT_EQ(lines(), (Lines{"1.000 inner-b finished", "2.000 outer-a cancelled", "2.000 inner-a cancelled",
                            "2.000 inner_group finally", "2.000 outer saw CancelledError",
                            "2.000 main: outer task cancelled True"}));
}

// ---- scenario 144: a child cancelled alone is not an error ----------------

aio::Task<std::string> named_child(std::string name, double d) {
  try {
    co_await aio::sleep(d);
    log(name, "finished");
    co_return name;
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    throw;
  }
}

aio::Task<void> main144() {
  aio::Task<std::string> a, b, c;
  co_await aio::task_group([&](aio::TaskGroup& tg) -> aio::Task<void> {
    a = tg.create_task(named_child("a", 1));
    b = tg.create_task(named_child("b", 5));
    c = tg.create_task(named_child("c", 2));
    co_await aio::sleep(0.5);
    b.cancel();
    log("body done");
  });
  log("group exited", a.result(), py(b.cancelled()), c.result());
}

TEST(TaskGroup, ChildCancelled_144) {
  run_vt(main144());
  EXPECT_EQ(lines(), (Lines{"0.500 body done", "0.500 b cancelled", "1.000 a finished", "2.000 c finished",
                            "2.000 group exited a True c"}));
}

// ---- seed 053 -------------------------------------------------------------------

aio::Task<std::string> say_after(double delay, std::string what) {
  co_await aio::sleep(delay);
  log(what);
  co_return what;
}

aio::Task<void> main053() {
  aio::TaskGroup tg;
  aio::Task<std::string> task1, task2;
  co_await tg.run([&]() -> aio::Task<void> {
    task1 = tg.create_task(say_after(1, "hello"));
    task2 = tg.create_task(say_after(2, "world"));
    log("started");
    co_return;
  });
  log("finished", task1.result(), task2.result());
}

TEST(TaskGroup, Seed_053) {
  run_vt(main053());
  EXPECT_EQ(lines(), (Lines{"0.000 started", "1.000 hello", "2.000 world", "2.000 finished hello world"}));
}

// ---- body result, body error, uncancel accounting, misuse --------------------

aio::Task<void> main_more() {
  int v = co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<int> {
    (void)tg.create_task(sleeper("bg", 1));
    co_return 3;
  });
  log("body value", v);
  // The body's own error joins the group, after the children's.
  try {
    co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
      (void)tg.create_task(child("sib", 5));
      co_await aio::sleep(0.5);
      throw aio::RuntimeError("body failed");
    });
  } catch (const aio::ExceptionGroup& eg) {
    log_group("body error:", eg);
  }
  // After a child error, the caller can catch the group and go on: the
  // group's cancellation of its parent was withdrawn.
  try {
    co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
      (void)tg.create_task(fail("x", 1));
      co_await aio::sleep(10);
    });
  } catch (const aio::ExceptionGroup&) {
    log("caught; cancelling =", aio::current_task().cancelling());
  }
  co_await aio::sleep(1);
  log("still running");
  aio::TaskGroup tg;
  try {
    (void)tg.create_task(sleeper("never", 1));
  } catch (const aio::RuntimeError& e) {
    log(e.what());
  }
  co_await tg.run([]() -> aio::Task<void> { co_return; });
  try {
    (void)tg.create_task(sleeper("never", 1));
  } catch (const aio::RuntimeError& e) {
    log(e.what());
  }
  // A child that creates more tasks while the group waits.
  co_await aio::task_group([](aio::TaskGroup& g) -> aio::Task<void> {
    (void)g.create_task([](aio::TaskGroup& g2) -> aio::Task<void> {
      co_await aio::sleep(1);
      (void)g2.create_task(sleeper("late child", 1));
    }(g));
    co_return;
  });
  log("group waited for the late child");
}

TEST(TaskGroup, BodyValueBodyErrorAndUncancel) {
  run_vt(main_more());
  EXPECT_EQ(lines(), (Lines{"1.000 bg finished", "1.000 body value 3", "1.500 sib cancelled",
                            "1.500 body error: ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)",
                            "  RuntimeError: body failed", "2.500 x raising", "2.500 caught; cancelling = 0",
                            "3.500 still running", "3.500 TaskGroup <TaskGroup> has not been entered",
                            "3.500 TaskGroup <TaskGroup entered> is finished", "5.500 late child finished",
                            "5.500 group waited for the late child"}));
}

// Cancelling the parent while the body is done and children still run.
aio::Task<void> main_parent_cancel() {
  auto t = aio::create_task([]() -> aio::Task<void> {
    co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
      (void)tg.create_task(child("k", 5));
      co_return;
    });
    log("not reached");
  }());
  co_await aio::sleep(1);
  t.cancel();
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("parent cancelled", py(t.cancelled()));
  }
}

TEST(TaskGroup, ParentCancelledWhileWaiting) {
  run_vt(main_parent_cancel());
  EXPECT_EQ(lines(), (Lines{"1.000 k cancelled", "1.000 parent cancelled True"}));
}

// run() on a temporary group or timeout gives a coroutine that owns its scope,
// so it can outlive the temporary: here it runs as a task after the full
// expression that created the temporary has ended (ASan would catch a
// use-after-free).
aio::Task<void> main_temporaries() {
  auto group_task = aio::create_task(aio::TaskGroup().run([](aio::TaskGroup& tg) -> aio::Task<void> {
    (void)tg.create_task(child("g", 1));
    co_return;
  }));
  auto timeout_task = aio::create_task(aio::timeout(0.5).run([]() -> aio::Task<void> { co_await aio::sleep(2); }));
  co_await group_task;
  try {
    co_await timeout_task;
  } catch (const aio::TimeoutError&) {
    log("timeout task timed out");
  }
}

TEST(TaskGroup, RunOnTemporariesOwnsTheScope) {
  run_vt(main_temporaries());
  EXPECT_EQ(lines(), (Lines{"1.000 g finished", "1.000 timeout task timed out"}));
}

// An entry refused for want of a parent task (here: from a plain callback)
// leaves the group not entered, as in asyncio 3.11.3+: create_task() then
// refuses too, rather than starting a child that has no parent to report to.
TEST(TaskGroup, RefusedEntryLeavesTheGroupNotEntered) {
  aio::EventLoop loop({.clock = aio::Clock::virtual_time});
  aio::TaskGroup tg;
  std::vector<std::string> errors;
  loop.call_soon([&] {
    try {
      tg.enter();
    } catch (const aio::RuntimeError& e) {
      errors.push_back(e.what());
    }
    try {
      (void)tg.create_task(child("orphan", 1));
    } catch (const aio::RuntimeError& e) {
      errors.push_back(e.what());
    }
    loop.stop();
  });
  loop.run_forever();
  EXPECT_EQ(errors, (std::vector<std::string>{"TaskGroup <TaskGroup> cannot determine the parent task",
                                              "TaskGroup <TaskGroup> has not been entered"}));
}

}  // namespace
