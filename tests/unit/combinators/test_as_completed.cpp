#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "unit/combinators/trace_log.hpp"

namespace {

using namespace combinators_test;

aio::Task<std::string> job(std::string name, double d) {
  co_await aio::sleep(d);
  log(name, "finished");
  co_return name;
}

// ---- scenario 108 -----------------------------------------------------------

aio::Task<void> main108() {
  std::vector<aio::Task<std::string>> ts{aio::create_task(job("slow", 3)), aio::create_task(job("fast", 1)),
                                         aio::create_task(job("mid", 2)), aio::create_task(job("fast2", 1))};
  int i = 0;
  for (auto next : aio::as_completed(ts)) {
    std::string r = co_await next;
    log("as_completed", i++, r);
  }
}

TEST(AsCompleted, CompletionOrder_108) {
  run_vt(main108());
  EXPECT_EQ(lines(), (Lines{"1.000 fast finished", "1.000 fast2 finished", "1.000 as_completed 0 fast",
                            "1.000 as_completed 1 fast2", "2.000 mid finished", "2.000 as_completed 2 mid",
                            "3.000 slow finished", "3.000 as_completed 3 slow"}));
}

// ---- scenario 109: timeout ------------------------------------------------

aio::Task<void> main109() {
  std::vector<aio::Task<std::string>> ts{aio::create_task(job("a", 1)), aio::create_task(job("b", 3)),
                                         aio::create_task(job("c", 2))};
  try {
    for (auto next : aio::as_completed(ts, 2.5)) log("got", co_await next);
  } catch (const aio::TimeoutError&) {
    log("as_completed raised", aio::describe_exception(std::current_exception()));
  }
  log("b cancelled?", py(ts[1].cancelled()));
  log("b result", co_await ts[1]);
}

TEST(AsCompleted, Timeout_109) {
  run_vt(main109());
  EXPECT_EQ(lines(), (Lines{"1.000 a finished", "1.000 got a", "2.000 c finished", "2.000 got c",
                            "2.500 as_completed raised TimeoutError", "2.500 b cancelled? False", "3.000 b finished",
                            "3.000 b result b"}));
}

// ---- scenario 145: futures completed by call_later in reverse order ---------

aio::Task<void> main145() {
  auto& loop = aio::get_running_loop();
  std::vector<aio::Future<std::string>> futs;
  for (int i = 0; i < 4; ++i) futs.push_back(loop.create_future<std::string>());
  for (int i = 0; i < 4; ++i) {
    auto f = futs[i];
    loop.call_later(4 - i, [f, i]() mutable { f.set_result("fut" + std::to_string(i)); });
  }
  for (auto next : aio::as_completed(futs)) log("got", co_await next);
}

TEST(AsCompleted, ReverseCallLater_145) {
  run_vt(main145());
  EXPECT_EQ(lines(), (Lines{"1.000 got fut3", "2.000 got fut2", "3.000 got fut1", "4.000 got fut0"}));
}

// ---- seed 008 -----------------------------------------------------------------

aio::Task<std::string> do008() {
  log(" let's do it ! ");
  co_await aio::sleep(0.5);
  log("done....");
  co_return "hello";
}

aio::Task<void> main008() {
  co_await aio::sleep(0.5);
  std::vector<aio::Task<std::string>> list{aio::ensure_future(do008()), aio::ensure_future(do008()),
                                           aio::ensure_future(do008())};
  for (auto task : aio::as_completed(list)) log(co_await task);
}

aio::Task<void> outer008() {
  std::vector<aio::Task<void>> mains{aio::ensure_future(main008())};
  co_await aio::wait(mains);
}

TEST(AsCompleted, Seed_008) {
  run_vt(outer008());
  EXPECT_EQ(lines(), (Lines{"0.500  let's do it ! ", "0.500  let's do it ! ", "0.500  let's do it ! ",
                            "1.000 done....", "1.000 done....", "1.000 done....", "1.000 hello", "1.000 hello",
                            "1.000 hello"}));
}

// ---- coroutines, exceptions, duplicates, abandoning early -------------------

aio::Task<std::string> fails(double d) {
  co_await aio::sleep(d);
  throw std::invalid_argument("nope");
}

aio::Task<void> main_more() {
  // Unstarted coroutines are scheduled; an exception comes out of its item.
  std::vector<aio::Task<std::string>> cs;
  cs.push_back(job("x", 2));
  cs.push_back(fails(1));
  auto seq = aio::as_completed(cs);
  log("items", seq.size());
  for (auto next : seq) {
    try {
      log("got", co_await next);
    } catch (const std::invalid_argument& e) {
      log("raised", e.what());
    }
  }
  // The same task twice counts once.
  auto t = aio::create_task(job("y", 1));
  std::vector<aio::Task<std::string>> twice{t, t};
  log("duplicates", aio::as_completed(twice).size());
  co_await t;
  // Leaving the loop early: the rest is unhooked, nothing leaks.
  std::vector<aio::Task<std::string>> many{aio::create_task(job("m1", 1)), aio::create_task(job("m2", 2))};
  for (auto next : aio::as_completed(many, 10)) {
    log("first", co_await next);
    break;
  }
  co_await aio::sleep(2);
}

// ---- Python 3.13's async-for form: next() hands out the futures ----------

aio::Task<std::string> job_or_fail(std::string name, double d, bool fail) {
  co_await aio::sleep(d);
  if (fail) throw aio::ValueError(name);
  co_return name;
}

aio::Task<void> main_next() {
  std::vector<aio::Task<std::string>> ts{
      aio::create_task(job_or_fail("slow", 0.3, false), "slow"), aio::create_task(job_or_fail("fast", 0.1, false), "fast"),
      aio::create_task(job_or_fail("bad", 0.2, true), "bad"), aio::create_task(job_or_fail("late", 0.9, false), "late")};
  auto with_duplicate = ts;
  with_duplicate.push_back(ts[1]);
  auto completed = aio::as_completed(with_duplicate, 0.5);
  try {
    while (auto t = co_await completed.next()) {
      bool same = false;
      for (auto& x : ts) same = same || &x.core() == &t->core();
      log(t->get_name(), py(same), py(t->done()), t->exception() ? std::string("exc") : t->result());
    }
  } catch (const aio::TimeoutError&) {
    log("timeout");
  }
  auto after = co_await completed.next();  // every one was handed out (the last one as the timeout)
  log(after ? "more" : "stop");
  for (auto& t : ts) t.cancel();
  std::vector<aio::Task<std::string>> coroutines;
  coroutines.push_back(job_or_fail("c", 0.1, false));
  auto wrapped = aio::as_completed(std::move(coroutines));
  while (auto t = co_await wrapped.next()) log("Task", t->result());
  auto none = aio::as_completed(std::vector<aio::Task<std::string>>{});
  while (auto t = co_await none.next()) log("never");
  log("end");
}

// The lines CPython 3.13.0 prints for the same program (`async for t in
// asyncio.as_completed(...)`, then `anext`), with the loop's time in front.
TEST(AsCompleted, NextHandsOutTheFuturesThemselves_313) {
  run_vt(main_next());
  EXPECT_EQ(lines(), (Lines{"0.100 fast True True fast", "0.200 bad True True exc", "0.300 slow True True slow",
                            "0.500 timeout", "0.500 stop", "0.600 Task c", "0.600 end"}));
}

TEST(AsCompleted, CoroutinesErrorsDuplicatesEarlyExit) {
  run_vt(main_more());
  EXPECT_EQ(lines(), (Lines{"0.000 items 2", "1.000 raised nope", "2.000 x finished", "2.000 got x",
                            "2.000 duplicates 1", "3.000 y finished", "4.000 m1 finished", "4.000 first m1",
                            "5.000 m2 finished"}));
}

// As asyncio's as_completed() (ensure_future(f, loop=<the running loop>)), a
// future of another loop raises ValueError; here when as_completed() is
// called, since aio wraps the futures then (see as_completed.hpp).
TEST(AsCompleted, FutureOfAnotherLoopRaisesValueError) {
  aio::EventLoop other({.clock = aio::Clock::virtual_time});
  aio::Future<int> foreign = other.create_future<int>();
  bool raised = false;
  aio::run(
      [](aio::Future<int> f, bool* raised) -> aio::Task<void> {
        try {
          (void)aio::as_completed(std::vector<aio::Future<int>>{f});
        } catch (const aio::ValueError&) {
          *raised = true;
        }
        co_return;
      }(foreign, &raised),
      {.clock = aio::Clock::virtual_time});
  EXPECT_TRUE(raised);
}

}  // namespace
