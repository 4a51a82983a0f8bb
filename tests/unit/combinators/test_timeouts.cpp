#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "aio/aio.hpp"
#include "unit/combinators/trace_log.hpp"

namespace {

using namespace combinators_test;

std::string f3(std::optional<double> v) {
  if (!v) return "None";
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", *v);
  return b;
}

aio::Task<void> sleep_task(double d) { co_await aio::sleep(d); }

// ---- scenario 112: reschedule, when, expired --------------------------------

aio::Task<void> main112() {
  auto& loop = aio::get_running_loop();
  aio::Timeout cm = aio::timeout(1);
  try {
    co_await cm.run([&]() -> aio::Task<void> {
      log("deadline", f3(cm.when()));
      co_await aio::sleep(0.5);
      cm.reschedule(loop.time() + 2);
      log("rescheduled to", f3(cm.when()));
      co_await aio::sleep(1.8);
      log("still inside", py(cm.expired()));
      co_await aio::sleep(1);
      log("not reached");
    });
  } catch (const aio::TimeoutError&) {
    log("timed out", aio::describe_exception(std::current_exception()), py(cm.expired()));
  }
  aio::Timeout cm2 = aio::timeout(std::nullopt);
  co_await cm2.run([&](aio::Timeout& scope) -> aio::Task<void> {
    log("when", f3(scope.when()));
    co_await aio::sleep(5);
    scope.reschedule(loop.time() + 1);
    co_await aio::sleep(0.5);
    log("inside before deadline", py(scope.expired()));
  });
  log("left without timeout", py(cm2.expired()));
}

TEST(Timeouts, Reschedule_112) {
  run_vt(main112());
  EXPECT_EQ(lines(), (Lines{"0.000 deadline 1.000", "0.500 rescheduled to 2.500", "2.300 still inside False",
                            "2.500 timed out TimeoutError True", "2.500 when None",
                            "8.000 inside before deadline False", "8.000 left without timeout False"}));
}

// ---- scenario 113: timeout_at, past deadline, nesting -----------------------

aio::Task<void> main113() {
  auto& loop = aio::get_running_loop();
  try {
    co_await aio::timeout_at(loop.time() + 1.5, sleep_task(3));
  } catch (const aio::TimeoutError&) {
    log("timeout_at fired");
  }
  try {
    co_await aio::timeout_at(loop.time() - 1, []() -> aio::Task<void> {
      log("body runs even though deadline passed");
      co_await aio::sleep(0);
      log("not reached");
    });
  } catch (const aio::TimeoutError&) {
    log("past deadline fired at first await");
  }
  try {
    co_await aio::timeout(5, []() -> aio::Task<void> {
      try {
        co_await aio::timeout(1, sleep_task(2));
      } catch (const aio::TimeoutError&) {
        log("inner timeout fired");
      }
      co_await aio::sleep(10);
    });
  } catch (const aio::TimeoutError&) {
    log("outer timeout fired");
  }
}

TEST(Timeouts, TimeoutAtAndNesting_113) {
  run_vt(main113());
  EXPECT_EQ(lines(), (Lines{"1.500 timeout_at fired", "1.500 body runs even though deadline passed",
                            "1.500 past deadline fired at first await", "2.500 inner timeout fired",
                            "6.500 outer timeout fired"}));
}

// ---- seed 054 -----------------------------------------------------------------

aio::Task<void> eternity() {
  co_await aio::sleep(3600);
  log("yay!");
}

aio::Task<void> main054() {
  aio::Timeout cm = aio::timeout(1.0);
  try {
    co_await cm.run(eternity());
  } catch (const aio::TimeoutError&) {
    log("timeout!", aio::describe_exception(std::current_exception()), "expired", py(cm.expired()));
  }
}

TEST(Timeouts, Seed_054) {
  run_vt(main054());
  EXPECT_EQ(lines(), (Lines{"1.000 timeout! TimeoutError expired True"}));
}

// ---- results, outside cancellation, misuse ---------------------------------

aio::Task<void> main_more() {
  int v = co_await aio::timeout(1, []() -> aio::Task<int> {
    co_await aio::sleep(0.5);
    co_return 5;
  });
  log("value", v);
  // A cancellation from elsewhere stays a CancelledError, and the scope does
  // not claim it.
  auto t = aio::create_task([]() -> aio::Task<void> {
    aio::Timeout cm = aio::timeout(10);
    try {
      co_await cm.run(sleep_task(20));
    } catch (const aio::CancelledError&) {
      log("outside cancel stays CancelledError, expired", py(cm.expired()));
      throw;
    }
  }());
  co_await aio::sleep(1);
  t.cancel();
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("task cancelled", py(t.cancelled()));
  }
  // A cancellation requested inside the body, before the deadline, is not
  // the scope's: it stays a CancelledError.
  auto u = aio::create_task([]() -> aio::Task<void> {
    co_await aio::timeout(1, []() -> aio::Task<void> {
      aio::current_task().cancel();  // the "outside" request, made first
      co_await aio::sleep(2);
    });
  }());
  try {
    co_await u;
  } catch (const aio::CancelledError&) {
    log("self-cancel: CancelledError", py(u.cancelled()));
  }
  aio::Timeout cm = aio::timeout(1);
  try {
    cm.reschedule(3);
  } catch (const aio::RuntimeError& e) {
    log(e.what());
  }
  co_await cm.run(sleep_task(0));
  try {
    cm.reschedule(3);
  } catch (const aio::RuntimeError& e) {
    log(e.what(), cm.repr());
  }
  try {
    co_await cm.run(sleep_task(0));
  } catch (const aio::RuntimeError& e) {
    log(e.what());
  }
}

TEST(Timeouts, ValuesOutsideCancelAndMisuse) {
  run_vt(main_more());
  EXPECT_EQ(lines(), (Lines{"0.500 value 5", "1.500 outside cancel stays CancelledError, expired False",
                            "1.500 task cancelled True", "1.500 self-cancel: CancelledError True",
                            "1.500 Timeout has not been entered",
                            "1.500 Cannot change state of finished Timeout <Timeout [finished]>",
                            "1.500 Timeout <Timeout [finished]> has already been entered"}));
}

// ---- a timeout entered by a task that swallowed a cancellation ---------------
// CPython 3.11.3+ (gh-102780) compares uncancel() with cancelling() as it was
// when the scope was entered, not with 0: a task that caught a CancelledError
// without uncancel() (cancelling() stays 1) still gets TimeoutError from a
// timeout() it enters afterwards, e.g. in cleanup code. A cancel() made
// during the scope still wins over the deadline.

aio::Task<void> main_swallowed() {
  aio::TaskRef me = aio::current_task();
  me.cancel();
  try {
    co_await aio::sleep(0);
  } catch (const aio::CancelledError&) {
    log("swallowed, cancelling", me.cancelling());
  }
  try {
    co_await aio::timeout(0.1, [&]() -> aio::Task<void> { co_await aio::sleep(1); });
  } catch (...) {
    log("expired:", aio::describe_exception(std::current_exception()), "cancelling", me.cancelling());
  }
  aio::get_running_loop().call_later(0.05, [me]() mutable { me.cancel(); });
  try {
    co_await aio::timeout(0.1, [&]() -> aio::Task<void> { co_await aio::sleep(1); });
  } catch (...) {
    log("cancelled inside:", aio::describe_exception(std::current_exception()), "cancelling", me.cancelling());
  }
}

TEST(Timeouts, EnteredAfterSwallowedCancel) {
  run_vt(main_swallowed());
  EXPECT_EQ(lines(), (Lines{"0.000 swallowed, cancelling 1", "0.100 expired: TimeoutError cancelling 1",
                            "0.150 cancelled inside: CancelledError cancelling 2"}));
}

}  // namespace
