// TraceRecorder and the loop's trace hooks: what a small program records, in
// which order, and the two output formats.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/trace_recorder.hpp"
#include "support/virtual_clock.hpp"

namespace {

using aio::TraceKind;
using Json = nlohmann::json;

using aio_test::virtual_clock;

aio::Task<int> child(double delay) {
  co_await aio::sleep(delay);
  co_return 7;
}

aio::Task<int> parent() {
  auto t = aio::create_task(child(1));
  int v = co_await t;
  co_return v;
}

// kind:id:name:detail@microseconds, compact enough to compare whole traces.
std::vector<std::string> summary(const aio::TraceRecorder& rec) {
  std::vector<std::string> out;
  for (const auto& e : rec.events())
    out.push_back(std::string(aio::trace_kind_name(e.kind)) + ":" + std::to_string(e.id) + ":" + e.name + ":" +
                  e.detail + "@" + std::to_string(aio::trace_time_us(e.time)));
  return out;
}

std::vector<std::string> trace_parent() {
  aio::TraceRecorder rec;
  aio::EventLoop loop(virtual_clock());
  loop.set_tracer(&rec);
  EXPECT_EQ(loop.run_until_complete(parent()), 7);
  loop.set_tracer(nullptr);
  return summary(rec);
}

TEST(Trace, SmallProgramRecordsEventsInOrder) {
  std::vector<std::string> expected = {
      "task_created:1:Task-1:@0",         // run_until_complete wraps parent() in a task
      "task_resumed:1:Task-1:@0",         //
      "task_created:2:Task-2:@0",         // create_task(child(1))
      "task_suspended:1:Task-1:task@0",   // co_await t
      "task_resumed:2:Task-2:@0",         //
      "timer_scheduled:1:sleep:1.000000@0",  // handle 1: the first handle of this loop
      "task_suspended:2:Task-2:sleep@0",  //
      "timer_fired:1:sleep:@1000000",     // the virtual clock jumped to the deadline
      "callback_run:1:sleep:@1000000",    // completes the sleep's future
      "task_resumed:2:Task-2:@1000000",   //
      "timer_cancelled:1:sleep:@1000000", // sleep's `finally: h.cancel()` (after it fired)
      "task_done:2:Task-2:@1000000",      //
      "task_resumed:1:Task-1:@1000000",   // woken by Task-2's completion
      "task_done:1:Task-1:@1000000",      //
      "callback_run:2:done callback:@1000000",  // run_until_complete's stop callback
  };
  EXPECT_EQ(trace_parent(), expected);
}

TEST(Trace, SameProgramGivesSameTraceEveryRun) {
  // Handle ids are per-loop sequence numbers, not addresses.
  EXPECT_EQ(trace_parent(), trace_parent());
}

TEST(Trace, CallbacksAndTimersAreNumberedInSchedulingOrder) {
  aio::TraceRecorder rec;
  aio::EventLoop loop(virtual_clock());
  loop.set_tracer(&rec);
  loop.call_soon([] {}, "first");
  auto timer = loop.call_later(5, [] {}, "never");
  loop.call_later(0.5, [&loop] { loop.stop(); }, "stopper");
  timer.cancel();
  loop.run_forever();
  EXPECT_EQ(summary(rec), (std::vector<std::string>{
                              "timer_scheduled:2:never:5.000000@0",
                              "timer_scheduled:3:stopper:0.500000@0",
                              "timer_cancelled:2:never:@0",
                              "callback_run:1:first:@0",
                              "timer_fired:3:stopper:@500000",
                              "callback_run:3:stopper:@500000",
                          }));
}

aio::Task<void> fails() {
  co_await aio::sleep(0);
  throw aio::RuntimeError("boom");
}

aio::Task<void> sleeps_long() { co_await aio::sleep(100); }

aio::Task<void> failing_and_cancelled() {
  auto bad = aio::create_task(fails(), "bad");
  auto slow = aio::create_task(sleeps_long(), "slow");
  co_await aio::sleep(1);
  slow.cancel();
  try {
    co_await slow;
  } catch (const aio::CancelledError&) {
  }
  try {
    co_await bad;
  } catch (const aio::RuntimeError&) {
  }
}

TEST(Trace, FailedAndCancelledTasksSayHowTheyEnded) {
  aio::TraceRecorder rec;
  aio::EventLoop loop(virtual_clock());
  loop.set_tracer(&rec);
  loop.run_until_complete(failing_and_cancelled());
  bool saw_failed = false, saw_cancelled = false;
  for (const auto& e : rec.events()) {
    if (e.kind == TraceKind::task_failed) {
      saw_failed = true;
      EXPECT_EQ(e.name, "bad");
      EXPECT_EQ(e.detail, "RuntimeError: boom");
    }
    if (e.kind == TraceKind::task_cancelled) {
      saw_cancelled = true;
      EXPECT_EQ(e.name, "slow");
      EXPECT_EQ(aio::trace_time_us(e.time), 1000000);
    }
  }
  EXPECT_TRUE(saw_failed);
  EXPECT_TRUE(saw_cancelled);
}

// The primitives built on futures (as asyncio's are) say what a task waits
// on, so a timeline can colour it: a lock, not "future".
TEST(Trace, ASuspendedTaskSaysWhichPrimitiveItWaitsOn) {
  aio::TraceRecorder rec;
  aio::EventLoop loop(virtual_clock());
  loop.set_tracer(&rec);
  loop.run_until_complete([]() -> aio::Task<void> {
    aio::Lock lock;
    aio::Semaphore sem(0);
    aio::Condition cond;
    aio::Queue<int> empty;
    aio::Queue<int> full(1);
    full.put_nowait(0);
    aio::Event event;
    auto fut = aio::get_running_loop().create_future<void>();
    co_await lock.acquire();
    std::vector<aio::Task<void>> waiters;
    waiters.push_back(aio::create_task([](aio::Lock& l) -> aio::Task<void> { co_await l.acquire(); }(lock), "lock"));
    waiters.push_back(aio::create_task([](aio::Semaphore& s) -> aio::Task<void> { co_await s.acquire(); }(sem), "sem"));
    waiters.push_back(aio::create_task(
        [](aio::Condition& c) -> aio::Task<void> {
          co_await c.acquire();
          co_await c.wait();
        }(cond),
        "cond"));
    waiters.push_back(aio::create_task([](aio::Queue<int>& q) -> aio::Task<void> { co_await q.get(); }(empty), "get"));
    waiters.push_back(aio::create_task([](aio::Queue<int>& q) -> aio::Task<void> { co_await q.put(1); }(full), "put"));
    waiters.push_back(aio::create_task([](aio::Event& e) -> aio::Task<void> { co_await e.wait(); }(event), "event"));
    waiters.push_back(aio::create_task([](aio::Future<void> f) -> aio::Task<void> { co_await f; }(fut), "future"));
    co_await aio::sleep(0);
    for (auto& w : waiters) w.cancel();
    co_await aio::gather(aio::return_exceptions, std::move(waiters));
  }());
  std::set<std::string> seen;
  for (const auto& e : rec.events())
    if (e.kind == TraceKind::task_suspended && e.name != "Task-1") seen.insert(e.name + ":" + e.detail);
  EXPECT_EQ(seen, (std::set<std::string>{"lock:lock", "sem:semaphore", "cond:condition", "get:queue.get",
                                         "put:queue.put", "event:event", "future:future"}));
}

TEST(Trace, NoTracerRecordsNothing) {
  aio::TraceRecorder rec;
  aio::EventLoop loop(virtual_clock());
  loop.set_tracer(&rec);
  loop.set_tracer(nullptr);
  EXPECT_EQ(loop.run_until_complete(parent()), 7);
  EXPECT_TRUE(rec.events().empty());
}

TEST(TraceRecorder, JsonLinesHaveOneObjectPerEvent) {
  aio::TraceRecorder rec;
  aio::EventLoop loop(virtual_clock());
  loop.set_tracer(&rec);
  loop.run_until_complete(failing_and_cancelled());
  std::istringstream in(rec.to_jsonl());
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    Json j = Json::parse(line);
    const auto& e = rec.events()[n];
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(j["t"].get<long long>(), aio::trace_time_us(e.time));
    EXPECT_EQ(j["kind"], aio::trace_kind_name(e.kind));
    EXPECT_EQ(j["id"].get<std::uint64_t>(), e.id);
    EXPECT_EQ(j["name"], e.name);
    EXPECT_EQ(j["detail"], e.detail);
    ++n;
  }
  EXPECT_EQ(n, rec.events().size());
  // Keys come in the documented order, not sorted.
  EXPECT_EQ(rec.to_jsonl().rfind("{\"t\":0,\"kind\":\"task_created\",\"id\":1,\"name\":\"Task-1\",\"detail\":\"\"}\n", 0),
            0u);
}

// Names are user data: quotes, backslashes, control characters, non-ASCII
// text and invalid UTF-8 all come out as valid JSON that reads back as the
// name (invalid bytes replaced), the same bytes a JSON library writes.
TEST(TraceRecorder, JsonLinesEscapeNamesAsJsonDoes) {
  const std::vector<std::string> names = {"plain", "say \"hi\"", "back\\slash", "tab\tnew\nline\x01",
                                          "你好", "caf\xc3\xa9", "bad\xff\xfeutf8", ""};
  for (const std::string& name : names) {
    aio::TraceEvent e{1.5, TraceKind::task_created, 7, name, "detail " + name};
    std::string line;
    aio::append_jsonl(line, e);
    ASSERT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\n');
    line.pop_back();
    nlohmann::ordered_json expected{{"t", 1500000}, {"kind", "task_created"}, {"id", 7}, {"name", name},
                                           {"detail", "detail " + name}};
    EXPECT_EQ(line, expected.dump(-1, ' ', false, Json::error_handler_t::replace)) << name;
    EXPECT_TRUE(Json::accept(line)) << line;  // valid JSON, whatever the name held
  }
}

TEST(TraceRecorder, ChromeTraceHasALanePerTask) {
  aio::TraceRecorder rec;
  aio::EventLoop loop(virtual_clock());
  loop.set_tracer(&rec);
  loop.run_until_complete(failing_and_cancelled());
  Json doc = Json::parse(rec.to_chrome_json());
  ASSERT_TRUE(doc.contains("traceEvents"));
  std::map<int, std::string> lanes;
  std::map<int, int> slices;
  for (const auto& e : doc["traceEvents"]) {
    if (e["ph"] == "M" && e["name"] == "thread_name") lanes[e["tid"].get<int>()] = e["args"]["name"];
    if (e["ph"] == "X") {
      ++slices[e["tid"].get<int>()];
      EXPECT_GE(e["dur"].get<long long>(), 0);
      if (e["name"] == "slow" && e["args"].contains("outcome")) {
        EXPECT_EQ(e["args"]["outcome"], "cancelled");
      }
      if (e["name"] == "bad" && e["args"].contains("outcome")) {
        EXPECT_EQ(e["args"]["outcome"], "failed");
        EXPECT_EQ(e["args"]["error"], "RuntimeError: boom");
      }
    }
  }
  // The loop's lane, then the main task and the two named tasks (which the
  // loop gives id 0, like asyncio's name counter) on lanes of their own.
  EXPECT_EQ(lanes, (std::map<int, std::string>{
                       {0, "event loop (callbacks, timers)"}, {1, "Task-1"}, {2, "bad"}, {3, "slow"}}));
  EXPECT_EQ(slices[1], 3);  // start, after sleep(1), after `slow` (`bad` is done by then: no wait)
  EXPECT_EQ(slices[2], 2);  // start, then fails after sleep(0)
  EXPECT_EQ(slices[3], 2);  // start, then cancelled
  EXPECT_EQ(slices.count(0), 0u);
}

TEST(TraceRecorder, WaitReasonGoesInTheSliceArgs) {
  aio::TraceRecorder rec;
  aio::EventLoop loop(virtual_clock());
  loop.set_tracer(&rec);
  loop.run_until_complete(parent());
  Json doc = Json::parse(rec.to_chrome_json());
  std::vector<std::string> reasons;
  for (const auto& e : doc["traceEvents"])
    if (e["ph"] == "X" && e["args"].contains("waits_on")) reasons.push_back(e["args"]["waits_on"]);
  EXPECT_EQ(reasons, (std::vector<std::string>{"task", "sleep"}));
}

TEST(TraceRecorder, ParsesFormatNames) {
  EXPECT_EQ(aio::parse_trace_format("jsonl"), aio::TraceFormat::jsonl);
  EXPECT_EQ(aio::parse_trace_format("chrome"), aio::TraceFormat::chrome);
  EXPECT_FALSE(aio::parse_trace_format("xml").has_value());
  EXPECT_EQ(aio::trace_time_us(0.1), 100000);
  EXPECT_EQ(aio::trace_time_us(0.1 + 0.2), 300000);
}

}  // namespace
