#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "unit/combinators/trace_log.hpp"

namespace {

using namespace combinators_test;

template <class F>
std::string flags(const std::vector<F>& all, const std::vector<F>& subset) {
  std::string s = "[";
  for (std::size_t i = 0; i < all.size(); ++i) {
    bool in = std::find(subset.begin(), subset.end(), all[i]) != subset.end();
    s += (i ? ", " : "") + py(in);
  }
  return s + "]";
}

// ---- scenario 105: FIRST_EXCEPTION -----------------------------------------

aio::Task<std::string> job(std::string name, double d, bool fail = false) {
  co_await aio::sleep(d);
  log(name, "finishing", fail ? "with error" : "ok");
  if (fail) throw aio::RuntimeError(name + " failed");
  co_return name;
}

aio::Task<void> main105() {
  std::vector<aio::Task<std::string>> ts{aio::create_task(job("a", 1)), aio::create_task(job("b", 2, true)),
                                         aio::create_task(job("c", 3))};
  auto [done, pending] = co_await aio::wait(ts, {.return_when = aio::FIRST_EXCEPTION});
  log("done", flags(ts, done), "pending", flags(ts, pending));
  log("b exception", aio::describe_exception(ts[1].exception()));
  auto second = co_await aio::wait(ts, {.return_when = aio::FIRST_EXCEPTION});
  log("second wait returns at once (b already failed)", second.done.size(), second.pending.size());
}

TEST(Wait, FirstException_105) {
  run_vt(main105());
  EXPECT_EQ(lines(), (Lines{"1.000 a finishing ok", "2.000 b finishing with error",
                            "2.000 done [True, True, False] pending [False, False, True]",
                            "2.000 b exception RuntimeError: b failed",
                            "2.000 second wait returns at once (b already failed) 2 1"}));
}

// ---- scenario 106: FIRST_COMPLETED -----------------------------------------

aio::Task<std::string> job2(std::string name, double d) {
  co_await aio::sleep(d);
  log(name, "finished");
  co_return name;
}

aio::Task<void> main106() {
  std::vector<aio::Task<std::string>> ts{aio::create_task(job2("a", 2)), aio::create_task(job2("b", 1)),
                                         aio::create_task(job2("c", 1)), aio::create_task(job2("d", 3))};
  while (!ts.empty()) {
    auto [done, pending] = co_await aio::wait(ts, {.return_when = aio::FIRST_COMPLETED});
    std::vector<std::string> names;
    for (auto& t : done) names.push_back(t.result());
    std::sort(names.begin(), names.end());
    std::string joined;
    for (auto& n : names) joined += n;
    log("done", joined, "pending", pending.size());
    ts = pending;
  }
}

TEST(Wait, FirstCompleted_106) {
  run_vt(main106());
  EXPECT_EQ(lines(), (Lines{"1.000 b finished", "1.000 c finished", "1.000 done bc pending 2", "2.000 a finished",
                            "2.000 done a pending 1", "3.000 d finished", "3.000 done d pending 0"}));
}

// ---- scenario 107: timeout does not raise nor cancel ------------------------

aio::Task<void> main107() {
  std::vector<aio::Task<std::string>> ts{aio::create_task(job2("a", 1)), aio::create_task(job2("b", 2)),
                                         aio::create_task(job2("c", 4))};
  auto [done, pending] = co_await aio::wait(ts, {.timeout = 2.5});
  log("done", flags(ts, done), "pending", flags(ts, pending));
  log("c cancelled?", py(ts[2].cancelled()));
  auto again = co_await aio::wait(ts, {.timeout = 10});
  log("done", again.done.size(), "pending", again.pending.size());
}

TEST(Wait, TimeoutLeavesPending_107) {
  run_vt(main107());
  EXPECT_EQ(lines(), (Lines{"1.000 a finished", "2.000 b finished",
                            "2.500 done [True, True, False] pending [False, False, True]",
                            "2.500 c cancelled? False", "4.000 c finished", "4.000 done 3 pending 0"}));
}

// ---- seeds 005, 007, 016 -----------------------------------------------------

aio::Task<std::string> letter(std::string l) {
  log(l + l + l, "begin");
  co_await aio::sleep(0.5);
  log(l + l + l, "end");
  co_return l;
}

aio::Task<void> main005() {
  std::vector<aio::Task<std::string>> list{aio::ensure_future(letter("a")), aio::ensure_future(letter("b")),
                                           aio::ensure_future(letter("c"))};
  auto [dones, pendings] = co_await aio::wait(list);
  log("wait done", dones.size(), "pending", pendings.size());
  log("wait results", list[0].result() + list[1].result() + list[2].result());
  auto [a, b, c] = co_await aio::gather(letter("a"), letter("b"), letter("c"));
  log("gather results", a + b + c);
}

TEST(Wait, WaitVsGatherSeed_005) {
  run_vt(main005());
  EXPECT_EQ(lines(), (Lines{"0.000 aaa begin", "0.000 bbb begin", "0.000 ccc begin", "0.500 aaa end",
                            "0.500 bbb end", "0.500 ccc end", "0.500 wait done 3 pending 0", "0.500 wait results abc",
                            "0.500 aaa begin", "0.500 bbb begin", "0.500 ccc begin", "1.000 aaa end",
                            "1.000 bbb end", "1.000 ccc end", "1.000 gather results abc"}));
}

aio::Task<std::string> do007() {
  log(" let's do it ! ");
  co_await aio::sleep(0.5);
  log("done....");
  co_return "hello";
}

aio::Task<void> main007() {
  co_await aio::sleep(0.5);
  std::vector<aio::Task<std::string>> list{aio::ensure_future(do007()), aio::ensure_future(do007()),
                                           aio::ensure_future(do007())};
  auto [dones, pendings] = co_await aio::wait(list);
  for (auto& t : list)
    if (std::find(dones.begin(), dones.end(), t) != dones.end()) log("result : ", t.result());
}

aio::Task<void> outer007() {
  // (g++ 12 rejects a braced list of temporaries inside co_await: "array
  // used as initializer"; name the list.)
  std::vector<aio::Task<void>> mains{aio::ensure_future(main007()), aio::ensure_future(main007())};
  co_await aio::wait(mains);
}

TEST(Wait, NestedWaitSeed_007) {
  run_vt(outer007());
  Lines expected;
  for (int i = 0; i < 6; ++i) expected.push_back("0.500  let's do it ! ");
  for (int i = 0; i < 6; ++i) expected.push_back("1.000 done....");
  for (int i = 0; i < 6; ++i) expected.push_back("1.000 result :  hello");
  EXPECT_EQ(lines(), expected);
}

aio::Task<int> foo() { co_return 42; }

aio::Task<void> main016() {
  auto task = aio::create_task(foo());
  auto waiting = aio::wait({task});  // not inside the co_await: see outer007
  auto [done, pending] = co_await std::move(waiting);
  if (std::find(done.begin(), done.end(), task) != done.end())
    log("task in done", task.result(), "pending", pending.size());
}

TEST(Wait, SingleTaskSeed_016) {
  run_vt(main016());
  EXPECT_EQ(lines(), (Lines{"0.000 task in done 42 pending 0"}));
}

// ---- misuse, futures, duplicates ---------------------------------------------

aio::Task<void> main_errors() {
  try {
    std::vector<aio::Task<int>> none;
    co_await aio::wait(none);
  } catch (const aio::ValueError& e) {
    log("ValueError:", e.what());
  }
  std::vector<aio::Task<int>> coros;
  coros.push_back(foo());
  try {
    co_await aio::wait(coros);
  } catch (const aio::TypeError& e) {
    log("TypeError:", e.what());
  }
  auto& loop = aio::get_running_loop();
  auto f = loop.create_future<int>();
  loop.call_later(1, [f]() mutable { f.set_result(1); });
  std::vector<aio::Future<int>> twice{f, f};
  auto [done, pending] = co_await aio::wait(twice);
  log("duplicates dropped", done.size(), pending.size());
  auto g = loop.create_future<int>();
  g.cancel();
  auto h = loop.create_future<int>();
  std::vector<aio::Future<int>> gh{g, h};
  auto r = co_await aio::wait(gh, {.timeout = 1, .return_when = aio::FIRST_EXCEPTION});
  log("a cancelled future is no exception", r.done.size(), r.pending.size());
}

TEST(Wait, ErrorsFuturesAndDuplicates) {
  run_vt(main_errors());
  EXPECT_EQ(lines(),
            (Lines{"0.000 ValueError: Set of Tasks/Futures is empty.",
                   "0.000 TypeError: Passing coroutines is forbidden, use tasks explicitly: wrap each coroutine "
                   "with aio::create_task()",
                   "1.000 duplicates dropped 1 0", "2.000 a cancelled future is no exception 1 1"}));
}

// Cancelling the waiting task leaves the awaited tasks running.
aio::Task<void> main_cancel() {
  auto t = aio::create_task(job2("t", 2));
  std::vector<aio::Task<std::string>> just_t{t};
  auto w = aio::create_task(aio::wait(just_t));
  co_await aio::sleep(1);
  w.cancel();
  try {
    co_await w;
  } catch (const aio::CancelledError&) {
    log("wait cancelled", py(w.cancelled()), "t done", py(t.done()));
  }
  co_await t;
}

TEST(Wait, CancelWaiterLeavesTasks) {
  run_vt(main_cancel());
  EXPECT_EQ(lines(), (Lines{"1.000 wait cancelled True t done False", "2.000 t finished"}));
}

}  // namespace
