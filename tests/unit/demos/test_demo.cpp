// The demo framework: registry, printing, parameters and run_demo's statuses.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "aio/config.hpp"
#include "aio/demos/demo.hpp"
#include "aio/sleep.hpp"
#include "aio/trace_recorder.hpp"

namespace {

using namespace aio::demos;

struct Captured {
  std::vector<std::string> out, err;
  RunOptions options() {
    RunOptions o;
    o.output = [this](std::string_view l) { out.emplace_back(l); };
    o.error = [this](std::string_view l) { err.emplace_back(l); };
    return o;
  }
};

TEST(Demos, RegistryHasUniqueKebabCaseNamesAndKnownGroups) {
  const std::set<std::string> groups = {"basics", "combinators", "cancellation", "synchronisation",
                                        "queues", "threads",     "io"};
  std::set<std::string> names;
  for (const Demo& d : all()) {
    EXPECT_TRUE(names.insert(d.name).second) << d.name;
    EXPECT_TRUE(groups.count(d.group)) << d.name << ": " << d.group;
    EXPECT_EQ(d.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-"), std::string::npos) << d.name;
    EXPECT_FALSE(d.title.empty()) << d.name;
    // Only the playground's stress demo and the browser I/O demos (whose
    // twins would need aiohttp and a server) have no CPython twin.
    if (d.name != "many-tasks" && d.group != "io") {
      EXPECT_FALSE(d.scenario.empty()) << d.name;
    }
    EXPECT_NE(d.main == nullptr, d.program == nullptr) << d.name << ": exactly one entry point";
    EXPECT_EQ(find(d.name), &d);
  }
  EXPECT_EQ(find("no-such-demo"), nullptr);
}

TEST(Demos, ManyTasksFinishesEveryTaskOnTheVirtualClock) {
  Captured c;
  RunOptions o = c.options();
  o.params["n"] = "200";
  o.params["max_delay"] = "2.0";
  EXPECT_EQ(run_demo("many-tasks", o), exit_ok);
  ASSERT_EQ(c.out.size(), 1u);
  EXPECT_EQ(c.out[0].rfind("200 tasks finished after 1.9", 0), 0u) << c.out[0];
  EXPECT_TRUE(c.err.empty());
}

TEST(Demos, PrintsWithoutTimestampsByDefault) {
  Captured c;
  RunOptions o = c.options();
  EXPECT_EQ(run_demo("say-after", o), exit_ok);
  EXPECT_EQ(c.out, (std::vector<std::string>{"started at 0.000", "hello", "world", "finished at 2.000"}));
  EXPECT_TRUE(c.err.empty());
}

TEST(Demos, TimestampsPrefixTheLoopTime) {
  Captured c;
  RunOptions o = c.options();
  o.timestamps = true;
  o.params["first"] = "2.5";
  EXPECT_EQ(run_demo("say-after", o), exit_ok);
  EXPECT_EQ(c.out,
            (std::vector<std::string>{"0.000 started at 0.000", "2.000 world", "2.500 hello", "2.500 finished at 2.500"}));
}

TEST(Demos, UsageErrors) {
  Captured c;
  RunOptions o = c.options();
  EXPECT_EQ(run_demo("no-such-demo", o), exit_usage);
  o.params["first"] = "soon";
  EXPECT_EQ(run_demo("say-after", o), exit_usage);
  o.params.clear();
  o.params["colour"] = "red";
  EXPECT_EQ(run_demo("say-after", o), exit_usage);
  EXPECT_EQ(c.err, (std::vector<std::string>{
                       "unknown demo 'no-such-demo': `aio list` shows the demos there are",
                       "parameter 'first' of demo 'say-after' must be a number, not 'soon'",
                       "demo 'say-after' has no parameter 'colour' (it takes: first, second)",
                   }));
  EXPECT_TRUE(c.out.empty());
}

TEST(Demos, CheckParamsGivesTheUsageMessage) {
  const Demo* d = find("say-after");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(check_params(*d, {{"first", "2"}}), "");
  EXPECT_EQ(check_params(*d, {{"first", "soon"}}), "parameter 'first' of demo 'say-after' must be a number, not 'soon'");
}

// The threads demos are left out of a build without threads, and run_demo
// says why instead of calling them unknown. Natively nothing is unavailable.
TEST(Demos, UnavailableDemosAreNamedWithTheReason) {
#if AIO_HAS_THREADS
  EXPECT_TRUE(unavailable().empty());
  EXPECT_NE(find("threadsafe"), nullptr);
#else
  std::set<std::string> names;
  for (const UnavailableDemo& u : unavailable()) names.insert(u.name);
  EXPECT_EQ(names, (std::set<std::string>{"run-in-executor", "executor-default", "threadsafe"}));
#endif
  for (const UnavailableDemo& u : unavailable()) {
    EXPECT_EQ(find(u.name), nullptr) << u.name;
    Captured c;
    EXPECT_EQ(run_demo(u.name, c.options()), exit_usage);
    ASSERT_EQ(c.err.size(), 1u);
    EXPECT_EQ(c.err[0], "demo '" + u.name + "' cannot run in this build: " + u.reason);
    EXPECT_NE(u.reason.find("threads"), std::string::npos);
  }
  EXPECT_EQ(missing_demo_message("nope"), "unknown demo 'nope': `aio list` shows the demos there are");
}

aio::Task<void> raising(DemoContext& ctx) {
  ctx.print("before", 1.5, true, nullptr);
  co_await aio::sleep(1);
  throw aio::RuntimeError("demo went wrong");
}

TEST(Demos, DemoThatRaisesExitsWithOne) {
  Demo d;
  d.name = "raising";
  d.main = raising;
  Captured c;
  RunOptions o = c.options();
  EXPECT_EQ(run_demo(d, o), exit_failed);
  EXPECT_EQ(c.out, (std::vector<std::string>{"before 1.5 True None"}));
  EXPECT_EQ(c.err, (std::vector<std::string>{"RuntimeError: demo went wrong"}));
}

void callback_raises(DemoContext& ctx) {
  aio::EventLoop& loop = ctx.new_loop();
  loop.call_soon([] { throw aio::RuntimeError("in callback"); });
  loop.call_soon([&loop] { loop.stop(); });
  loop.run_forever();
  loop.close();
}

TEST(Demos, ExceptionHandlerPrintsLikeTheHarness) {
  Demo d;
  d.name = "callback-raises";
  d.program = callback_raises;
  Captured c;
  RunOptions o = c.options();
  o.timestamps = true;
  EXPECT_EQ(run_demo(d, o), exit_ok);
  EXPECT_EQ(c.out,
            (std::vector<std::string>{"0.000 [exception handler] Exception in callback | RuntimeError: in callback"}));
}

TEST(Demos, TracerSeesTheDemosLoop) {
  aio::TraceRecorder rec;
  Captured c;
  RunOptions o = c.options();
  o.tracer = &rec;
  EXPECT_EQ(run_demo("say-after", o), exit_ok);
  EXPECT_FALSE(rec.events().empty());
}

}  // namespace
