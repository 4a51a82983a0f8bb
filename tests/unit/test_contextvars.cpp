// contextvars (aio/contextvars.hpp): variables, tokens, contexts, and the
// context every task and callback runs in, checked against what CPython 3.11
// does (the expected values are what the same program prints there).
#include "aio/config.hpp"

#if AIO_HAS_CONTEXTVARS
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "aio/aio.hpp"
#include "support/virtual_clock.hpp"

namespace {

using aio_test::virtual_clock;

aio::ContextVar<int> x("x");
aio::ContextVar<std::string> who("who", "nobody");

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Every test starts and ends with an empty base context on this thread.
class ContextVars : public ::testing::Test {
 protected:
  void TearDown() override { EXPECT_EQ(aio::copy_context().size(), 0u) << "a test left a variable set"; }
};

TEST_F(ContextVars, GetSetResetAndDefaults) {
  EXPECT_EQ(x.name(), "x");
  EXPECT_EQ(x.get(7), 7);
  EXPECT_EQ(who.get(), "nobody");
  EXPECT_EQ(who.get("given"), "given");  // the argument wins over the variable's default
  aio::Token<int> t1 = x.set(1);
  EXPECT_EQ(x.get(), 1);
  EXPECT_EQ(x.get(7), 1);
  EXPECT_EQ(t1.old_value(), aio::Token<int>::MISSING);
  EXPECT_EQ(&t1.var(), &x);
  aio::Token<int> t2 = x.set(2);
  EXPECT_EQ(t2.old_value(), 1);
  x.reset(t2);
  EXPECT_EQ(x.get(), 1);
  x.reset(t1);
  EXPECT_THROW(x.get(), aio::LookupError);
  EXPECT_EQ(aio::copy_context().size(), 0u);
}

TEST_F(ContextVars, LookupErrorNamesTheVariable) {
  try {
    x.get();
    FAIL() << "no LookupError";
  } catch (const aio::LookupError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("<ContextVar name='x' at 0x", 0), 0u) << e.what();
  }
}

TEST_F(ContextVars, TokenMisuseRaisesWhatCPythonRaises) {
  aio::Token<int> t = x.set(1);
  x.reset(t);
  try {
    x.reset(t);
    FAIL() << "reset twice";
  } catch (const aio::RuntimeError& e) {
    EXPECT_TRUE(ends_with(e.what(), "has already been used once")) << e.what();
    EXPECT_EQ(std::string(e.what()).rfind("<Token used var=<ContextVar name='x'", 0), 0u) << e.what();
  }

  aio::ContextVar<int> other("other");
  aio::Token<int> mine = x.set(2);
  try {
    other.reset(mine);
    FAIL() << "reset by another variable";
  } catch (const aio::ValueError& e) {
    EXPECT_TRUE(ends_with(e.what(), "was created by a different ContextVar")) << e.what();
  }
  // A failed reset does not use the token up.
  aio::Context elsewhere = aio::copy_context();
  try {
    elsewhere.run([&] { x.reset(mine); });
    FAIL() << "reset in another context";
  } catch (const aio::ValueError& e) {
    EXPECT_TRUE(ends_with(e.what(), "was created in a different Context")) << e.what();
  }
  x.reset(mine);
  EXPECT_EQ(x.get(0), 0);
}

TEST_F(ContextVars, ContextRunIsolatesAndCopiesAreSnapshots) {
  aio::Token<int> t = x.set(1);
  aio::Context ctx = aio::copy_context();
  EXPECT_EQ(ctx.get(x), 1);
  EXPECT_TRUE(ctx.contains(x));
  EXPECT_FALSE(ctx.contains(who));
  // A set inside run() stays in ctx; the caller's context is untouched.
  ctx.run([] {
    x.set(2);
    who.set("run");
  });
  EXPECT_EQ(x.get(), 1);
  EXPECT_EQ(who.get(), "nobody");
  EXPECT_EQ(ctx.get(x), 2);
  EXPECT_EQ(ctx.get(who), "run");
  EXPECT_EQ(ctx.size(), 2u);
  // A copy does not see later sets in the original, nor the other way round.
  aio::Context snapshot = ctx.copy();
  ctx.run([] { x.set(3); });
  EXPECT_EQ(snapshot.get(x), 2);
  snapshot.run([] { x.set(4); });
  EXPECT_EQ(ctx.get(x), 3);
  // Copies of a Context object are the same context.
  aio::Context same = ctx;
  EXPECT_TRUE(same == ctx);
  EXPECT_FALSE(snapshot == ctx);
  // run() returns what the function returns, with its arguments.
  EXPECT_EQ(ctx.run([](int a) { return x.get() + a; }, 10), 13);
  // A new Context is empty, whatever is current.
  EXPECT_EQ(aio::Context().run([] { return x.get(-1); }), -1);
  x.reset(t);
}

TEST_F(ContextVars, EnteringAnEnteredContextRaises) {
  aio::Context ctx;
  try {
    ctx.run([&] { ctx.run([] {}); });
    FAIL() << "entered twice";
  } catch (const aio::RuntimeError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cannot enter context: <Context object at 0x", 0), 0u) << e.what();
    EXPECT_TRUE(ends_with(e.what(), "is already entered")) << e.what();
  }
  // Left properly: it can be entered again.
  EXPECT_EQ(ctx.run([] { return 5; }), 5);
}

aio::Task<void> child(std::vector<std::string>& log, std::string name) {
  log.push_back(name + " sees " + std::to_string(x.get(0)));
  x.set(100);
  co_await aio::sleep(0);
  log.push_back(name + " keeps " + std::to_string(x.get(0)));
}

aio::Task<void> parent(std::vector<std::string>& log) {
  auto before = aio::create_task(child(log, "before"));
  x.set(1);
  auto after = aio::create_task(child(log, "after"));
  co_await aio::sleep(0);
  log.push_back("parent sees " + std::to_string(x.get(0)));
  co_await before;
  co_await after;
  // A context given to create_task is shared: the task's sets land in it.
  aio::Context shared;
  co_await aio::create_task(child(log, "shared"), "shared", shared);
  log.push_back("shared context holds " + std::to_string(shared.get(x).value_or(0)));
  log.push_back("parent still sees " + std::to_string(x.get(0)));
}

TEST_F(ContextVars, TasksCopyTheContextWhenCreated) {
  std::vector<std::string> log;
  aio::run(parent(log), virtual_clock());
  EXPECT_EQ(log, (std::vector<std::string>{"before sees 0", "after sees 1", "parent sees 1", "before keeps 100",
                                           "after keeps 100", "shared sees 0", "shared keeps 100",
                                           "shared context holds 100", "parent still sees 1"}));
}

aio::Task<int> read_x() { co_return x.get(0); }

TEST_F(ContextVars, RunStartsTheMainTaskInACopyOfTheThreadsContext) {
  aio::Token<int> t = x.set(5);
  int seen = aio::run(
      []() -> aio::Task<int> {
        int v = co_await read_x();  // a nested coroutine reads its task's context
        x.set(6);
        co_return v;
      }(),
      virtual_clock());
  EXPECT_EQ(seen, 5);
  EXPECT_EQ(x.get(), 5);  // the main task's set stayed in its copy
  x.reset(t);
}

aio::Task<void> set_x(int v) {
  x.set(v);
  co_return;
}

TEST_F(ContextVars, ARunnersMainTasksShareOneContext) {
  {
    aio::Runner runner(virtual_clock());
    runner.run(set_x(1));
    EXPECT_EQ(runner.run(read_x()), 1);  // asyncio.Runner: one context for every run()
    EXPECT_EQ(x.get(0), 0);
  }
  EXPECT_EQ(aio::run(read_x(), virtual_clock()), 0);
}

aio::Task<void> callbacks(std::vector<std::string>& log) {
  aio::EventLoop& loop = aio::get_running_loop();
  auto report = [&log](const char* what) {
    return [&log, what] { log.push_back(std::string(what) + " " + std::to_string(x.get(0))); };
  };
  loop.call_soon(report("empty"));  // scheduled before any set
  aio::Token<int> t = x.set(1);
  loop.call_soon(report("captured"));
  loop.call_later(0.5, report("later"));
  aio::Context ctx;
  ctx.run([] { x.set(9); });
  loop.call_soon(report("explicit"), ctx);
  loop.call_at(loop.time() + 1, report("at explicit"), ctx);
  // A set after scheduling is not seen: each callback got a copy.
  x.set(2);
  // A callback's set stays in its own context: neither later callbacks nor
  // the task see it. One bound to a context sets it there.
  loop.call_soon([] { x.set(50); });
  loop.call_soon(report("after a callback set"));
  loop.call_soon([] { x.set(60); }, ctx);
  co_await aio::sleep(2);
  log.push_back("task " + std::to_string(x.get(0)));
  log.push_back("ctx " + std::to_string(ctx.get(x).value_or(0)));
  x.reset(t);
  log.push_back("reset " + std::to_string(x.get(0)));
}

TEST_F(ContextVars, CallbacksRunInTheContextCapturedWhenScheduled) {
  std::vector<std::string> log;
  aio::run(callbacks(log), virtual_clock());
  EXPECT_EQ(log, (std::vector<std::string>{"empty 0", "captured 1", "explicit 9", "after a callback set 2", "later 1",
                                           "at explicit 60", "task 2", "ctx 60", "reset 0"}));
}

aio::Task<void> done_callbacks(std::vector<std::string>& log) {
  aio::EventLoop& loop = aio::get_running_loop();
  aio::Future<int> fut = loop.create_future<int>();
  aio::Token<int> t = x.set(1);
  fut.add_done_callback([&log](aio::Future<int>&) { log.push_back("captured " + std::to_string(x.get(0))); });
  aio::Context ctx;
  fut.add_done_callback([&log](aio::Future<int>&) { log.push_back("explicit " + std::to_string(x.get(0))); }, ctx);
  auto task = aio::create_task(read_x());
  task.add_done_callback([&log](aio::Task<int>&) { log.push_back("task callback " + std::to_string(x.get(0))); });
  x.set(2);
  fut.set_result(0);
  co_await task;
  co_await aio::sleep(0);
  x.reset(t);
}

TEST_F(ContextVars, DoneCallbacksRunInTheContextCapturedWhenAdded) {
  std::vector<std::string> log;
  aio::run(done_callbacks(log), virtual_clock());
  EXPECT_EQ(log, (std::vector<std::string>{"captured 1", "explicit 0", "task callback 1"}));
}

aio::Task<int> eager_child() {
  int v = x.get(0);
  x.set(v + 1);
  co_await aio::sleep(0);
  co_return x.get(0);
}

TEST_F(ContextVars, AnEagerTaskStartedFromACallbackRunsInItsOwnContext) {
  int result = aio::run(
      []() -> aio::Task<int> {
        aio::EventLoop& loop = aio::get_running_loop();
        aio::Context ctx;
        ctx.run([] { x.set(10); });
        aio::Task<int> t;
        // The eager step runs inside the callback, which runs in ctx: the
        // task copies ctx, and its set stays in the copy.
        loop.call_soon([&t] { t = aio::create_task(eager_child(), "eager", aio::eager_start); }, ctx);
        co_await aio::sleep(0);
        int r = co_await t;
        co_return r * 100 + ctx.get(x).value_or(0);
      }(),
      virtual_clock());
  EXPECT_EQ(result, 11 * 100 + 10);
}

TEST_F(ContextVars, EachThreadHasItsOwnBaseContext) {
  aio::Token<int> t = x.set(1);
  int seen = -2;
  std::thread other([&] {
    seen = x.get(-1);
    x.set(2);  // this thread's base context, released when it ends
  });
  other.join();
  EXPECT_EQ(seen, -1);
  EXPECT_EQ(x.get(), 1);
  x.reset(t);
}

}  // namespace
#endif
