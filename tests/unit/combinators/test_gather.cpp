#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "aio/aio.hpp"
#include "unit/combinators/trace_log.hpp"

namespace {

using namespace combinators_test;

// ---- scenario 101: cancelling the gather cancels the running children ------

aio::Task<std::string> child101(std::string name, double delay) {
  try {
    co_await aio::sleep(delay);
    log(name, "finished");
    co_return name;
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    throw;
  }
}

aio::Task<void> main101() {
  std::vector<aio::Task<std::string>> tasks;
  double delays[] = {1, 5, 6};
  for (int i = 0; i < 3; ++i) tasks.push_back(aio::create_task(child101("c" + std::to_string(i), delays[i])));
  auto g = aio::gather(tasks);
  co_await aio::sleep(2);
  log("cancel gather", py(g.cancel()));
  try {
    co_await g;
  } catch (const aio::CancelledError&) {
    log("gather raised", "CancelledError");
  }
  std::string states;
  for (auto& t : tasks) states += (t.cancelled() ? std::string("cancelled") : t.result()) + ",";
  log(states);
  log("g.cancelled", py(g.cancelled()));
}

TEST(Gather, CancelGatherCancelsChildren_101) {
  run_vt(main101());
  EXPECT_EQ(lines(), (Lines{"1.000 c0 finished", "2.000 cancel gather True", "2.000 c1 cancelled",
                            "2.000 c2 cancelled", "2.000 gather raised CancelledError",
                            "2.000 c0,cancelled,cancelled,", "2.000 g.cancelled False"}));
}

// ---- scenario 148: a cancelled child makes the gather raise, others go on ---

aio::Task<std::string> child148(std::string name, double d) {
  co_await aio::sleep(d);
  log(name, "finished");
  co_return name;
}

aio::Task<void> main148() {
  std::vector<aio::Task<std::string>> ts;
  for (int i = 0; i < 3; ++i) ts.push_back(aio::create_task(child148("c" + std::to_string(i), i + 1)));
  auto g = aio::gather(ts);
  auto victim = ts[1];
  aio::get_running_loop().call_later(0.5, [victim]() mutable { victim.cancel(); });
  try {
    co_await g;
  } catch (const aio::CancelledError&) {
    log("gather raised", "CancelledError", "g.cancelled", py(g.cancelled()));
  }
  log("others still running", py(ts[0].done()), py(ts[2].done()));
  co_await aio::sleep(3);
  log("results", ts[0].result(), py(ts[1].cancelled()), ts[2].result());
}

TEST(Gather, CancelledChildRaisesOthersContinue_148) {
  run_vt(main148());
  EXPECT_EQ(lines(), (Lines{"0.500 gather raised CancelledError g.cancelled False",
                            "0.500 others still running False False", "1.000 c0 finished", "3.000 c2 finished",
                            "3.500 results c0 True c2"}));
}

// ---- scenario 102: return_exceptions ---------------------------------------

aio::Task<int> ok(int v, double d) {
  co_await aio::sleep(d);
  log("ok", v);
  co_return v;
}

aio::Task<int> bad(std::string msg, double d) {
  co_await aio::sleep(d);
  log("bad", msg);
  throw std::invalid_argument(msg);
}

template <class T>
std::string show(const aio::Outcome<T>& o) {
  if (o.has_exception()) return aio::describe_exception(o.exception());
  return std::to_string(o.value());
}

aio::Task<void> main102() {
  auto victim = aio::create_task(ok(-1, 10));
  aio::get_running_loop().call_later(0.5, [victim]() mutable { victim.cancel(); });
  auto [a, b, c, d] = co_await aio::gather(aio::return_exceptions, ok(1, 1), bad("boom", 0.5), ok(2, 2), victim);
  log(show(a), show(b), show(c), show(d));
  auto t2 = aio::ensure_future(ok(3, 3));
  try {
    co_await aio::gather(bad("first", 1), bad("second", 2), t2);
  } catch (const std::invalid_argument& e) {
    log("gather raised", e.what(), "t2.done", py(t2.done()));
  }
  co_await aio::sleep(5);
  log("t2 result", t2.result());
}

TEST(Gather, ReturnExceptions_102) {
  run_vt(main102());
  EXPECT_EQ(lines(), (Lines{"0.500 bad boom", "1.000 ok 1", "2.000 ok 2",
                            "2.000 1 invalid_argument: boom 2 CancelledError", "3.000 bad first",
                            "3.000 gather raised first t2.done False", "4.000 bad second", "5.000 ok 3",
                            "8.000 t2 result 3"}));
}

// ---- scenario 141: already-done futures, empty gather, duplicates ----------

aio::Task<void> main141() {
  auto& loop = aio::get_running_loop();
  auto a = loop.create_future<int>();
  a.set_result(1);
  auto b = loop.create_future<int>();
  b.set_exception(std::invalid_argument("b failed"));
  auto c = loop.create_future<int>();
  c.cancel();
  auto g = aio::gather(aio::return_exceptions, a, b, c);
  log("gather done immediately?", py(g.done()));
  auto [ra, rb, rc] = co_await g;
  log(show(ra), show(rb), show(rc));
  std::tuple<> empty = co_await aio::gather();
  (void)empty;
  std::vector<int> none = co_await aio::gather(std::vector<aio::Future<int>>{});
  log("empty gather", none.size());
  auto d = loop.create_future<int>();
  d.set_result(2);
  auto [x, y, z] = co_await aio::gather(d, d, a);
  log("same future twice", x, y, z);
  try {
    co_await aio::gather(a, b);
  } catch (const std::invalid_argument& e) {
    log("without return_exceptions:", e.what());
  }
}

TEST(Gather, DoneFuturesStillAsynchronous_141) {
  run_vt(main141());
  EXPECT_EQ(lines(), (Lines{"0.000 gather done immediately? False",
                            "0.000 1 invalid_argument: b failed CancelledError", "0.000 empty gather 0",
                            "0.000 same future twice 2 2 1", "0.000 without return_exceptions: b failed"}));
}

// ---- seeds 005/006/013: gather of coroutines runs them concurrently --------

aio::Task<int> factorial(std::string name, int number) {
  int f = 1;
  for (int i = 2; i <= number; ++i) {
    log("Task " + name + ": Compute factorial(" + std::to_string(i) + ")...");
    co_await aio::sleep(1);
    f *= i;
  }
  log("Task " + name + ": factorial(" + std::to_string(number) + ") = " + std::to_string(f));
  co_return f;
}

aio::Task<void> main013() {
  auto [a, b, c] = co_await aio::gather(factorial("A", 2), factorial("B", 3), factorial("C", 4));
  log(a, b, c);
}

TEST(Gather, FactorialSeed_013) {
  run_vt(main013());
  EXPECT_EQ(lines(), (Lines{"0.000 Task A: Compute factorial(2)...", "0.000 Task B: Compute factorial(2)...",
                            "0.000 Task C: Compute factorial(2)...", "1.000 Task A: factorial(2) = 2",
                            "1.000 Task B: Compute factorial(3)...", "1.000 Task C: Compute factorial(3)...",
                            "2.000 Task B: factorial(3) = 6", "2.000 Task C: Compute factorial(4)...",
                            "3.000 Task C: factorial(4) = 24", "3.000 2 6 24"}));
}

aio::Task<std::string> do006() {
  log(" let's do it ! ");
  co_await aio::sleep(0.5);
  log("done....");
  co_return "hello";
}

aio::Task<void> main006() {
  co_await aio::sleep(0.5);
  std::vector<aio::Task<std::string>> tasks{aio::ensure_future(do006()), aio::ensure_future(do006()),
                                            aio::ensure_future(do006())};
  std::vector<std::string> result = co_await aio::gather(tasks);
  for (auto& r : result) log("result : ", r);
}

TEST(Gather, VectorOfTasksSeed_006) {
  run_vt(main006());
  EXPECT_EQ(lines(), (Lines{"0.500  let's do it ! ", "0.500  let's do it ! ", "0.500  let's do it ! ",
                            "1.000 done....", "1.000 done....", "1.000 done....", "1.000 result :  hello",
                            "1.000 result :  hello", "1.000 result :  hello"}));
}

// ---- C++ API details ---------------------------------------------------------

aio::Task<void> nothing(double d) { co_await aio::sleep(d); }

aio::Task<std::unique_ptr<int>> boxed(int v) {
  co_await aio::sleep(0.1);
  co_return std::make_unique<int>(v);
}

aio::Task<void> main_api() {
  // void children give std::monostate.
  auto vi = co_await aio::gather(nothing(0.1), ok(7, 0.2));
  static_assert(std::is_same_v<std::tuple_element_t<0, decltype(vi)>, std::monostate>);
  int i = std::get<1>(vi);
  log("void and int", i);
  // Move-only results are moved out of the gathering future.
  std::vector<aio::Task<std::unique_ptr<int>>> boxes{boxed(1), boxed(2)};
  std::vector<std::unique_ptr<int>> values = co_await aio::gather(std::move(boxes));
  log("boxed", *values[0], *values[1]);
  // Outcome<void>.
  std::vector<aio::Task<void>> voids;
  voids.push_back(nothing(0));
  voids.push_back(nothing(0));
  auto outcomes = co_await aio::gather(aio::return_exceptions, voids);
  log("void outcomes", py(outcomes[0].has_value()), py(outcomes[1].has_value()));
  // A gather cancelled after it is done does nothing.
  auto g = aio::gather(ok(1, 0));
  co_await g;
  log("cancel after done", py(g.cancel()));
}

TEST(Gather, VoidMoveOnlyAndOutcomes) {
  run_vt(main_api());
  EXPECT_EQ(lines(), (Lines{"0.200 ok 7", "0.200 void and int 7", "0.300 boxed 1 2", "0.300 void outcomes True True",
                            "0.300 ok 1", "0.300 cancel after done False"}));
}

// Cancelling the task that awaits the gather cancels the children (the
// gathering future is what the task waits on).
aio::Task<void> main_cancel_awaiter() {
  auto waiter = aio::create_task([]() -> aio::Task<void> {
    try {
      co_await aio::gather(child101("x", 5), child101("y", 6));
    } catch (const aio::CancelledError&) {
      log("awaiter got CancelledError");
      throw;
    }
  }());
  co_await aio::sleep(1);
  waiter.cancel();
  try {
    co_await waiter;
  } catch (const aio::CancelledError&) {
    log("waiter cancelled", py(waiter.cancelled()));
  }
}

TEST(Gather, CancellingTheAwaiterCancelsChildren) {
  run_vt(main_cancel_awaiter());
  EXPECT_EQ(lines(), (Lines{"1.000 x cancelled", "1.000 y cancelled", "1.000 awaiter got CancelledError",
                            "1.000 waiter cancelled True"}));
}

// A failure with return_exceptions=false is marked retrieved on later failing
// children: no "exception was never retrieved" report for them.
TEST(Gather, LaterFailuresAreNotReported) {
  std::vector<std::string> reports;
  lines().clear();
  {
    aio::EventLoop::Options o;
    o.clock = aio::Clock::virtual_time;
    aio::Runner runner(o);
    runner.get_loop().set_exception_handler(
        [&](aio::EventLoop&, const aio::ExceptionContext& ctx) { reports.push_back(ctx.message); });
    runner.run([]() -> aio::Task<void> {
      try {
        co_await aio::gather(bad("one", 1), bad("two", 2));
      } catch (const std::invalid_argument&) {
      }
      co_await aio::sleep(3);
    }());
  }
  EXPECT_TRUE(reports.empty()) << reports[0];
}

// A gather that failed and that nobody awaits is reported under its own class
// name, as asyncio does (f'{self.__class__.__name__} exception was never
// retrieved'); its child's exception was retrieved by the gather.
TEST(Gather, UnawaitedFailureIsReportedAsGatheringFuture) {
  std::vector<std::string> reports;
  {
    aio::EventLoop::Options o;
    o.clock = aio::Clock::virtual_time;
    aio::Runner runner(o);
    runner.get_loop().set_exception_handler(
        [&](aio::EventLoop&, const aio::ExceptionContext& ctx) { reports.push_back(ctx.message); });
    runner.run([]() -> aio::Task<void> {
      {
        auto g = aio::gather(bad("three", 1));
        co_await aio::sleep(2);
      }
      co_await aio::sleep(0);
    }());
  }
  EXPECT_EQ(reports, std::vector<std::string>{"_GatheringFuture exception was never retrieved"});
}

// asyncio's gather() wraps each argument with _ensure_future(arg, loop=<the
// first one's loop>): a future of another loop raises ValueError at once.
TEST(Gather, FuturesOfTwoLoopsRaiseValueError) {
  aio::EventLoop first({.clock = aio::Clock::virtual_time});
  aio::EventLoop second({.clock = aio::Clock::virtual_time});
  aio::Future<int> a = first.create_future<int>();
  aio::Future<int> b = second.create_future<int>();
  EXPECT_THROW((void)aio::gather(a, b), aio::ValueError);
  EXPECT_THROW((void)aio::gather(std::vector<aio::Future<int>>{a, b}), aio::ValueError);
  // The registration that failed leaves nothing behind: the first loop's
  // future can still complete without trouble.
  a.set_result(1);
  first.run_until_complete(a);
}

// The same with a first future that never completes (conformance 170): the
// refused gather must not keep it and its callback in a cycle (LeakSanitizer).
TEST(Gather, ARefusedGatherLeavesNoCycleWithAPendingFuture) {
  aio::EventLoop first({.clock = aio::Clock::virtual_time});
  aio::EventLoop second({.clock = aio::Clock::virtual_time});
  aio::Future<int> pending = first.create_future<int>();
  aio::Future<int> foreign = second.create_future<int>();
  EXPECT_THROW((void)aio::gather(pending, foreign), aio::ValueError);
  EXPECT_THROW((void)aio::gather(std::vector<aio::Future<int>>{pending, foreign}), aio::ValueError);
  EXPECT_FALSE(pending.done());
}

// ---- seed 039: loop.run_until_complete(gather(task1, task2)) ----------------

aio::Task<std::string> corowork(std::string name, double t) {
  co_await aio::sleep(t);
  log("stop", name);
  co_return "Coroutine " + name + " OK";
}

TEST(Gather, RunUntilCompleteAcceptsTheGatheringFuture) {
  lines().clear();
  aio::EventLoop::Options o;
  o.clock = aio::Clock::virtual_time;
  aio::EventLoop loop(o);
  auto task1 = loop.create_task(corowork("ONE", 3));
  auto task2 = loop.create_task(corowork("TWO", 1));
  // Outside a running loop, as asyncio allows: the future takes the tasks' loop.
  auto g = aio::gather(task1, task2);
  auto [r1, r2] = loop.run_until_complete(g);
  EXPECT_EQ(r1, "Coroutine ONE OK");
  EXPECT_EQ(r2, "Coroutine TWO OK");
  EXPECT_TRUE(g.done());
  EXPECT_DOUBLE_EQ(loop.time(), 3.0);
  EXPECT_EQ(lines(), (Lines{"1.000 stop TWO", "3.000 stop ONE"}));
  // A failing gather raises out of run_until_complete.
  auto bad = aio::gather(loop.create_task([]() -> aio::Task<int> {
    co_await aio::sleep(1);
    throw std::invalid_argument("bad child");
    co_return 0;
  }()));
  EXPECT_THROW(loop.run_until_complete(bad), std::invalid_argument);
  loop.close();
}

}  // namespace
