#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "support/virtual_clock.hpp"

namespace {

using aio_test::virtual_clock;

aio::AsyncGenerator<int> count_to(int n, std::vector<std::string>* log) {
  for (int i = 1; i <= n; ++i) {
    co_await aio::sleep(0.5);
    log->push_back("yield " + std::to_string(i));
    co_yield i;
  }
  log->push_back("done");
}

TEST(AsyncGenerator, YieldsValuesInOrderAcrossSuspensions) {
  std::vector<std::string> log;
  auto main = [](std::vector<std::string>* log) -> aio::Task<int> {
    int sum = 0;
    auto gen = count_to(3, log);
    while (auto v = co_await gen.next()) {
      log->push_back("got " + std::to_string(*v) + " at " + std::to_string(aio::get_running_loop().time()));
      sum += *v;
    }
    EXPECT_TRUE(gen.finished());
    // A finished generator keeps answering "no more values".
    EXPECT_FALSE(co_await gen.next());
    co_return sum;
  };
  EXPECT_EQ(aio::run(main(&log), virtual_clock()), 6);
  std::vector<std::string> expected{"yield 1", "got 1 at 0.500000", "yield 2", "got 2 at 1.000000",
                                    "yield 3", "got 3 at 1.500000", "done"};
  EXPECT_EQ(log, expected);
}

aio::AsyncGenerator<std::string> words() {
  co_yield "a";
  co_yield std::string("b");
}

TEST(AsyncGenerator, YieldsWithoutSuspendingRunInline) {
  auto main = []() -> aio::Task<std::string> {
    std::string all;
    auto gen = words();
    while (auto w = co_await gen.next()) all += *w;
    co_return all;
  };
  EXPECT_EQ(aio::run(main(), virtual_clock()), "ab");
}

aio::AsyncGenerator<int> failing() {
  co_yield 1;
  co_await aio::sleep(1);
  throw std::runtime_error("broken source");
}

TEST(AsyncGenerator, ExceptionsComeOutOfNext) {
  auto main = []() -> aio::Task<std::string> {
    auto gen = failing();
    auto first = co_await gen.next();
    EXPECT_EQ(*first, 1);
    try {
      co_await gen.next();
    } catch (const std::runtime_error& e) {
      co_return e.what();
    }
    co_return "no exception";
  };
  EXPECT_EQ(aio::run(main(), virtual_clock()), "broken source");
}

aio::AsyncGenerator<int> endless(std::vector<std::string>* log) {
  bool closing = false;
  try {
    for (int i = 0;; ++i) {
      co_await aio::sleep(1);
      co_yield i;
    }
  } catch (const aio::CancelledError&) {
    log->push_back("generator saw CancelledError");
    throw;
  } catch (const aio::GeneratorExit&) {
    closing = true;  // C++ allows no co_await inside a handler: clean up below
  }
  if (closing) {
    log->push_back("generator closing");
    co_await aio::sleep(0.25);  // cleanup may await
    log->push_back("generator closed");
    throw aio::GeneratorExit{};
  }
}

TEST(AsyncGenerator, CancellingTheConsumerCancelsTheAwaitInsideTheGenerator) {
  std::vector<std::string> log;
  auto consumer = [](std::vector<std::string>* log) -> aio::Task<void> {
    auto gen = endless(log);
    try {
      while (auto v = co_await gen.next()) log->push_back("got " + std::to_string(*v));
    } catch (const aio::CancelledError&) {
      log->push_back("consumer cancelled");
      throw;
    }
  };
  auto main = [&]() -> aio::Task<void> {
    auto t = aio::create_task(consumer(&log));
    co_await aio::sleep(2.5);
    t.cancel();
    try {
      co_await t;
    } catch (const aio::CancelledError&) {
      log.push_back("main saw cancelled");
    }
  };
  aio::run(main(), virtual_clock());
  std::vector<std::string> expected{"got 0", "got 1", "generator saw CancelledError", "consumer cancelled",
                                    "main saw cancelled"};
  EXPECT_EQ(log, expected);
}

TEST(AsyncGenerator, AcloseRunsAsyncCleanup) {
  std::vector<std::string> log;
  auto main = [](std::vector<std::string>* log) -> aio::Task<double> {
    auto gen = endless(log);
    co_await gen.next();
    co_await gen.aclose();
    EXPECT_TRUE(gen.finished());
    co_return aio::get_running_loop().time();
  };
  EXPECT_DOUBLE_EQ(aio::run(main(&log), virtual_clock()), 1.25);
  std::vector<std::string> expected{"generator closing", "generator closed"};
  EXPECT_EQ(log, expected);
}

aio::AsyncGenerator<std::unique_ptr<int>> owners() {
  co_yield std::make_unique<int>(7);
}

TEST(AsyncGenerator, MoveOnlyValues) {
  auto main = []() -> aio::Task<int> {
    auto gen = owners();
    auto p = co_await gen.next();
    co_return **p;
  };
  EXPECT_EQ(aio::run(main(), virtual_clock()), 7);
}

TEST(AsyncGenerator, DestroyingASuspendedGeneratorRunsDestructors) {
  struct Flag {
    bool* destroyed;
    ~Flag() { *destroyed = true; }
  };
  bool destroyed = false;
  auto gen_fn = [](bool* d) -> aio::AsyncGenerator<int> {
    Flag f{d};
    co_yield 1;
    co_yield 2;
  };
  auto main = [&]() -> aio::Task<void> {
    auto gen = gen_fn(&destroyed);
    co_await gen.next();
  };
  aio::run(main(), virtual_clock());
  EXPECT_TRUE(destroyed);
}

// Python: `await agen.aclose()` on a generator that never started finishes it
// without running its body, and a later `anext()` raises StopAsyncIteration.
TEST(AsyncGenerator, AcloseBeforeTheFirstNextClosesWithoutRunning) {
  bool ran = false;
  auto gen_fn = [](bool* ran) -> aio::AsyncGenerator<int> {
    *ran = true;
    co_yield 1;
  };
  auto main = [&]() -> aio::Task<void> {
    auto gen = gen_fn(&ran);
    co_await gen.aclose();
    EXPECT_TRUE(gen.finished());
    EXPECT_EQ(co_await gen.next(), std::nullopt);
    co_await gen.aclose();  // closing again is a no-op
  };
  aio::run(main(), virtual_clock());
  EXPECT_FALSE(ran);
}

// ---- shutdown_asyncgens (asyncio.run's last step; conformance 171) -----------

aio::AsyncGenerator<int> with_async_cleanup(std::vector<std::string>* log, bool cleanup_fails) {
  bool closing = false;
  try {
    for (int i = 0;; ++i) co_yield i;
  } catch (const aio::GeneratorExit&) {
    closing = true;
  }
  if (closing) {
    co_await aio::sleep(1);  // cleanup that awaits: aclose() must run it in a task
    log->push_back("cleaned up at " + std::to_string(aio::get_running_loop().time()));
    if (cleanup_fails) throw aio::ValueError("cleanup failed");
    throw aio::GeneratorExit{};
  }
}

TEST(AsyncGeneratorShutdown, TheRunnerClosesAGeneratorLeftSuspended) {
  std::vector<std::string> log;
  std::optional<aio::AsyncGenerator<int>> kept;
  {
    aio::Runner runner(virtual_clock());
    runner.run([](std::vector<std::string>* log, std::optional<aio::AsyncGenerator<int>>* kept) -> aio::Task<void> {
      *kept = with_async_cleanup(log, false);
      EXPECT_EQ(*co_await (*kept)->next(), 0);
      EXPECT_EQ(aio::get_running_loop().asyncgen_count(), 1u);
    }(&log, &kept));
    EXPECT_TRUE(log.empty());
  }
  EXPECT_EQ(log, std::vector<std::string>{"cleaned up at 1.000000"});
  EXPECT_TRUE(kept->finished());
}

TEST(AsyncGeneratorShutdown, AFailedCloseGoesToTheExceptionHandler) {
  std::vector<std::string> log;
  std::string reported;
  std::optional<aio::AsyncGenerator<int>> kept;
  {
    aio::Runner runner(virtual_clock());
    runner.get_loop().set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext& ctx) {
      reported = ctx.message + " | " + aio::describe_exception(ctx.exception);
    });
    runner.run([](std::vector<std::string>* log, std::optional<aio::AsyncGenerator<int>>* kept) -> aio::Task<void> {
      *kept = with_async_cleanup(log, true);
      (void)co_await (*kept)->next();
    }(&log, &kept));
  }
  EXPECT_EQ(reported, "an error occurred during closing of asynchronous generator | ValueError: cleanup failed");
}

TEST(AsyncGeneratorShutdown, OnlyStartedUnfinishedGeneratorsAreTracked) {
  aio::EventLoop loop(virtual_clock());
  loop.run_until_complete([](aio::EventLoop& loop) -> aio::Task<void> {
    std::vector<std::string> log;
    auto unstarted = count_to(2, &log);
    EXPECT_EQ(loop.asyncgen_count(), 0u);
    auto gen = count_to(2, &log);
    while (co_await gen.next()) EXPECT_EQ(loop.asyncgen_count(), 1u);
    EXPECT_EQ(loop.asyncgen_count(), 0u);  // finished
    {
      auto dropped = count_to(2, &log);
      (void)co_await dropped.next();
      EXPECT_EQ(loop.asyncgen_count(), 1u);
    }
    EXPECT_EQ(loop.asyncgen_count(), 0u);  // destroyed
  }(loop));
}

// Generators leave the loop's list in any order (a server's lines() end as
// their connections do), and shutdown closes exactly the ones still there.
TEST(AsyncGeneratorShutdown, GeneratorsLeaveInAnyOrderAndShutdownClosesTheRest) {
  aio::EventLoop loop(virtual_clock());
  loop.run_until_complete([](aio::EventLoop& loop) -> aio::Task<void> {
    std::vector<std::string> log;
    std::vector<std::optional<aio::AsyncGenerator<int>>> gens(6);
    for (auto& g : gens) {
      g = count_to(3, &log);
      (void)co_await g->next();
    }
    EXPECT_EQ(loop.asyncgen_count(), 6u);
    for (std::size_t i : {4u, 0u, 5u}) gens[i].reset();  // the last, the first, then one in the middle
    while (co_await gens[2]->next()) {
    }
    EXPECT_EQ(loop.asyncgen_count(), 2u);
    co_await loop.shutdown_asyncgens();
    EXPECT_EQ(loop.asyncgen_count(), 0u);
    EXPECT_TRUE(gens[1]->finished());
    EXPECT_TRUE(gens[3]->finished());
  }(loop));
}

// The generator outlives its loop: destroying it afterwards must not reach the loop.
TEST(AsyncGeneratorShutdown, AGeneratorMayOutliveItsLoop) {
  std::vector<std::string> log;
  std::optional<aio::AsyncGenerator<int>> kept;
  {
    aio::EventLoop loop(virtual_clock());
    loop.run_until_complete(
        [](std::vector<std::string>* log, std::optional<aio::AsyncGenerator<int>>* kept) -> aio::Task<void> {
          *kept = count_to(3, log);
          (void)co_await (*kept)->next();
        }(&log, &kept));
  }
  kept.reset();
  EXPECT_EQ(log, std::vector<std::string>{"yield 1"});
}

}  // namespace
