#include <gtest/gtest.h>

#include <string>

#include "aio/aio.hpp"
#include "unit/combinators/trace_log.hpp"

namespace {

using namespace combinators_test;

// ---- scenario 104 -----------------------------------------------------------

aio::Task<int> inner104() {
  log("inner start");
  co_await aio::sleep(3);
  log("inner end");
  co_return 42;
}

aio::Task<int> outer104(aio::Task<int> t) {
  try {
    co_return co_await aio::shield(t);
  } catch (const aio::CancelledError&) {
    log("outer cancelled, inner.cancelled =", py(t.cancelled()));
    throw;
  }
}

aio::Task<void> main104() {
  auto t = aio::create_task(inner104());
  auto o = aio::create_task(outer104(t));
  co_await aio::sleep(1);
  o.cancel();
  co_await aio::sleep(0);
  co_await aio::sleep(0);
  log("outer done", py(o.done()), "cancelled", py(o.cancelled()), "inner done", py(t.done()));
  log("inner result", co_await t);
}

TEST(Shield, OuterCancelledInnerRuns_104) {
  run_vt(main104());
  EXPECT_EQ(lines(), (Lines{"0.000 inner start", "1.000 outer cancelled, inner.cancelled = False",
                            "1.000 outer done True cancelled True inner done False", "3.000 inner end",
                            "3.000 inner result 42"}));
}

// ---- seed 014 ---------------------------------------------------------------

aio::Task<std::string> something() {
  log("something start");
  co_await aio::sleep(2);
  log("something done");
  co_return "result";
}

aio::Task<void> waiter(aio::Task<std::string> inner) {
  try {
    std::string res = co_await aio::shield(inner);
    log("waiter got", res);
  } catch (const aio::CancelledError&) {
    log("waiter cancelled; inner done?", py(inner.done()));
    throw;
  }
}

aio::Task<void> main014() {
  auto inner = aio::ensure_future(something());
  auto w = aio::create_task(waiter(inner));
  co_await aio::sleep(1);
  w.cancel();
  try {
    co_await w;
  } catch (const aio::CancelledError&) {
    log("main: waiter cancelled", py(w.cancelled()));
  }
  log("main: inner result", co_await inner);
}

TEST(Shield, Seed_014) {
  run_vt(main014());
  EXPECT_EQ(lines(),
            (Lines{"0.000 something start", "1.000 waiter cancelled; inner done? False",
                   "1.000 main: waiter cancelled True", "2.000 something done", "2.000 main: inner result result"}));
}

// ---- scenario 143 -----------------------------------------------------------

aio::Task<int> val(int v) { co_return v; }
aio::Task<int> bad() {
  throw std::invalid_argument("inner failed");
  co_return 0;
}

aio::Task<void> main143() {
  auto t = aio::create_task(val(7));
  co_await t;
  auto s = aio::shield(t);
  // asyncio returns the task itself; here a future already done with its result.
  log("shield of done task is done", py(s.done()), co_await s);
  auto f = aio::get_running_loop().create_future<int>();
  f.set_result(8);
  log("shield of done future is the future", py(aio::shield(f) == f));
  auto b = aio::create_task(bad());
  try {
    co_await aio::shield(b);
  } catch (const std::invalid_argument& e) {
    log("shield re-raised", e.what());
  }
  auto inner =
      aio::create_task([]() -> aio::Task<std::string> { co_return co_await aio::sleep(1, std::string("inner ok")); }());
  auto outer = aio::shield(inner);
  outer.cancel();
  log("outer cancelled", py(outer.cancelled()), "inner cancelled", py(inner.cancelled()));
  log("inner result", co_await inner);
  // Cancelling the inner task cancels the shield.
  auto inner2 = aio::create_task(val(1));
  auto outer2 = aio::shield(inner2);
  inner2.cancel();
  try {
    co_await outer2;
  } catch (const aio::CancelledError&) {
    log("inner cancelled -> shield cancelled", py(outer2.cancelled()));
  }
}

TEST(Shield, CompletedAndCancelled_143) {
  run_vt(main143());
  EXPECT_EQ(lines(),
            (Lines{"0.000 shield of done task is done True 7", "0.000 shield of done future is the future True",
                   "0.000 shield re-raised inner failed", "0.000 outer cancelled True inner cancelled False",
                   "1.000 inner result inner ok", "1.000 inner cancelled -> shield cancelled True"}));
}

}  // namespace
