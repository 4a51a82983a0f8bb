#include <gtest/gtest.h>

#include <string>

#include "aio/aio.hpp"
#include "unit/combinators/trace_log.hpp"

namespace {

using namespace combinators_test;

// ---- scenario 103: the inner task is cancelled and awaited -----------------

aio::Task<void> inner103() {
  try {
    log("inner start");
    co_await aio::sleep(10);
  } catch (const aio::CancelledError&) {
    log("inner cancelled, cleaning up");
    throw;
  }
}

// The cleanup needs a co_await, which a catch block cannot hold: catch, leave
// the handler, clean up, rethrow.
aio::Task<void> inner103_with_cleanup() {
  std::exception_ptr cancelled;
  try {
    co_await inner103();
  } catch (const aio::CancelledError&) {
    cancelled = std::current_exception();
  }
  if (cancelled) {
    co_await aio::sleep(0.5);
    log("inner cleanup done");
    std::rethrow_exception(cancelled);
  }
}

aio::Task<void> main103() {
  try {
    co_await aio::wait_for(inner103_with_cleanup(), 2);
  } catch (const aio::TimeoutError& e) {
    log("wait_for raised", aio::describe_exception(std::current_exception()));
  }
  std::string r = co_await aio::wait_for(aio::create_task([]() -> aio::Task<std::string> {
                                           co_return co_await aio::sleep(1, std::string("fast"));
                                         }()),
                                         2);
  log("fast result", r);
}

TEST(WaitFor, CancelsAndAwaitsInner_103) {
  run_vt(main103());
  EXPECT_EQ(lines(), (Lines{"0.000 inner start", "2.000 inner cancelled, cleaning up", "2.500 inner cleanup done",
                            "2.500 wait_for raised TimeoutError", "3.500 fast result fast"}));
}

// ---- seed 015 ---------------------------------------------------------------

aio::Task<void> eternity() {
  try {
    co_await aio::sleep(3600);
    log("yay!");
  } catch (const aio::CancelledError&) {
    log("eternity cancelled");
    throw;
  }
}

aio::Task<void> main015() {
  try {
    co_await aio::wait_for(eternity(), 1.0);
  } catch (const aio::TimeoutError&) {
    log("timeout!", aio::describe_exception(std::current_exception()));
  }
}

TEST(WaitFor, TimeoutSeed_015) {
  run_vt(main015());
  EXPECT_EQ(lines(), (Lines{"1.000 eternity cancelled", "1.000 timeout! TimeoutError"}));
}

// ---- scenario 142: None, zero and negative timeouts -------------------------

aio::Task<std::string> job(std::string v, double d) {
  try {
    co_await aio::sleep(d);
    co_return v;
  } catch (const aio::CancelledError&) {
    log("job", v, "cancelled");
    throw;
  }
}

aio::Task<void> main142() {
  log("None ->", co_await aio::wait_for(job("a", 2), std::nullopt));
  auto f = aio::get_running_loop().create_future<std::string>();
  f.set_result("done-future");
  log("0 on done future ->", co_await aio::wait_for(f, 0));
  try {
    co_await aio::wait_for(job("b", 1), 0);
  } catch (const aio::TimeoutError&) {
    log("0 on coroutine ->", "TimeoutError");
  }
  auto t = aio::create_task(job("c", 1));
  try {
    co_await aio::wait_for(t, -1);
  } catch (const aio::TimeoutError&) {
    log("negative on task ->", "TimeoutError", "task cancelled", py(t.cancelled()));
  }
}

TEST(WaitFor, NoneZeroNegative_142) {
  run_vt(main142());
  EXPECT_EQ(lines(), (Lines{"2.000 None -> a", "2.000 0 on done future -> done-future",
                            "2.000 0 on coroutine -> TimeoutError",
                            "2.000 negative on task -> TimeoutError task cancelled True"}));
}

// ---- cancellation of the waiter, swallowed cancellation, errors ------------

aio::Task<int> stubborn() {
  try {
    co_await aio::sleep(5);
  } catch (const aio::CancelledError&) {
    log("stubborn swallowed the cancellation");
  }
  co_return 7;
}

aio::Task<int> failing() {
  co_await aio::sleep(0.5);
  throw std::invalid_argument("bad");
}

aio::Task<void> main_more() {
  // A task that answers the cancellation with a value: that value is returned.
  int v = co_await aio::wait_for(stubborn(), 1);
  log("swallowed ->", v);
  // An exception before the deadline passes through.
  try {
    co_await aio::wait_for(failing(), 1);
  } catch (const std::invalid_argument& e) {
    log("error ->", e.what());
  }
  // Cancelling the waiter cancels the inner task, waits for it, and raises
  // CancelledError.
  auto inner = aio::create_task(job("inner", 10));
  auto w = aio::create_task(aio::wait_for(inner, 5));
  co_await aio::sleep(1);
  w.cancel();
  try {
    co_await w;
  } catch (const aio::CancelledError&) {
    log("waiter cancelled", py(w.cancelled()), "inner cancelled", py(inner.cancelled()));
  }
}

TEST(WaitFor, SwallowedCancelErrorsAndCancelledWaiter) {
  run_vt(main_more());
  EXPECT_EQ(lines(), (Lines{"1.000 stubborn swallowed the cancellation", "1.000 swallowed -> 7", "1.500 error -> bad",
                            "2.500 job inner cancelled", "2.500 waiter cancelled True inner cancelled True"}));
}

// asyncio's wait_for() wraps its argument with ensure_future(fut, loop=<the
// running loop>): a future of another loop raises ValueError, with a timeout
// > 0 or <= 0 alike.
TEST(WaitFor, FutureOfAnotherLoopRaisesValueError) {
  aio::EventLoop other({.clock = aio::Clock::virtual_time});
  aio::Future<int> foreign = other.create_future<int>();
  int raised = 0;
  aio::run(
      [](aio::Future<int> f, int* raised) -> aio::Task<void> {
        for (double timeout : {1.0, 0.0}) {
          try {
            co_await aio::wait_for(f, timeout);
          } catch (const aio::ValueError&) {
            ++*raised;
          }
        }
      }(foreign, &raised),
      {.clock = aio::Clock::virtual_time});
  EXPECT_EQ(raised, 2);
  EXPECT_FALSE(foreign.done());  // in particular, not cancelled by the timeout <= 0 path
}

}  // namespace
