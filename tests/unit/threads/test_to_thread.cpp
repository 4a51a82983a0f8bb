#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "aio/aio.hpp"
#include "unit/threads/loop_thread.hpp"

namespace {

using namespace std::chrono_literals;
using aio_test::virtual_clock;

TEST(ToThread, RunsBlockingWorkOffTheLoop) {
  std::vector<std::string> log;
  aio::run(
      [](std::vector<std::string>& log) -> aio::Task<void> {
        auto loop_thread = std::this_thread::get_id();
        // A ticker on the loop keeps running while the blocking call works.
        auto ticker = aio::create_task([](std::vector<std::string>& log) -> aio::Task<void> {
          for (int i = 0; i < 3; ++i) {
            log.push_back("tick");
            co_await aio::sleep(0);
          }
        }(log));
        std::string r = co_await aio::to_thread([loop_thread] {
          std::this_thread::sleep_for(20ms);
          return std::string(std::this_thread::get_id() == loop_thread ? "on loop" : "on worker");
        });
        log.push_back(r);
        co_await ticker;
      }(log),
      virtual_clock());
  EXPECT_EQ(log, (std::vector<std::string>{"tick", "tick", "tick", "on worker"}));
}

TEST(ToThread, VoidFunctionAndException) {
  aio::run(
      []() -> aio::Task<void> {
        int x = 0;
        co_await aio::to_thread([&x] { x = 5; });
        EXPECT_EQ(x, 5);
        try {
          co_await aio::to_thread([] { throw std::runtime_error("from the worker"); });
          ADD_FAILURE() << "no exception";
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "from the worker");
        }
      }(),
      virtual_clock());
}

TEST(ToThread, CallsRunConcurrently) {
  // Two blocking calls that wait for each other only finish if they run on
  // two workers at the same time.
  auto r = aio::run(
      []() -> aio::Task<int> {
        std::promise<void> a_ready, b_ready;
        auto a_f = a_ready.get_future().share();
        auto b_f = b_ready.get_future().share();
        auto a = aio::create_task(aio::to_thread([&a_ready, b_f] {
          a_ready.set_value();
          return b_f.wait_for(5s) == std::future_status::ready ? 1 : 0;
        }));
        auto b = aio::create_task(aio::to_thread([&b_ready, a_f] {
          b_ready.set_value();
          return a_f.wait_for(5s) == std::future_status::ready ? 1 : 0;
        }));
        co_return co_await a + co_await b;
      }(),
      virtual_clock());
  EXPECT_EQ(r, 2);
}

TEST(ToThread, CancellingTheTaskDoesNotWaitForTheWorker) {
  aio::run(
      []() -> aio::Task<void> {
        std::promise<void> gate;
        auto gate_f = gate.get_future().share();
        auto t = aio::create_task(aio::to_thread([gate_f] {
          gate_f.wait();
          return 1;
        }));
        co_await aio::sleep(0);
        t.cancel();
        try {
          co_await t;
          ADD_FAILURE() << "not cancelled";
        } catch (const aio::CancelledError&) {
        }
        EXPECT_TRUE(t.cancelled());
        gate.set_value();  // the worker finishes; its result is dropped
      }(),
      virtual_clock());
}

TEST(ToThread, IsACoroutineThatCanBeTheMainTask) {
  // Like asyncio.run(asyncio.to_thread(f)): to_thread is a coroutine, so it
  // does nothing until a loop runs it.
  aio::EventLoop loop(virtual_clock());
  auto coro = aio::to_thread([] { return 1; });
  EXPECT_EQ(loop.run_until_complete(std::move(coro)), 1);
}

}  // namespace
