#include <gtest/gtest.h>

#include <memory>
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

}  // namespace
