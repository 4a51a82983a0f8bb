#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <thread>
#include <vector>

#include "aio/aio.hpp"
#include "unit/threads/loop_thread.hpp"

namespace {

TEST(CallSoonThreadsafe, ManyThreadsEveryCallDeliveredInOrder) {
  constexpr int kThreads = 4;
  constexpr int kCalls = 10000;
  aio::EventLoop loop;  // real clock: the loop blocks in epoll and is woken
  auto done = loop.create_future<int>();
  int delivered = 0;                       // loop thread only
  std::array<int, kThreads> next_index{};  // per producer: FIFO check
  bool in_order = true;
  std::vector<std::thread> producers;
  std::atomic<bool> go{false};
  for (int t = 0; t < kThreads; ++t) {
    producers.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kCalls; ++i) {
        loop.call_soon_threadsafe([&, t, i] {
          if (next_index[t] != i) in_order = false;
          next_index[t] = i + 1;
          if (++delivered == kThreads * kCalls) done.set_result(delivered);
        });
      }
    });
  }
  loop.call_soon([&go] { go = true; });
  EXPECT_EQ(loop.run_until_complete(done), kThreads * kCalls);
  for (auto& p : producers) p.join();
  EXPECT_TRUE(in_order);
  loop.close();
}

TEST(CallSoonThreadsafe, WakesABlockedLoop) {
  aio_test::LoopThread lt;
  std::promise<std::thread::id> where;
  lt.loop().call_soon_threadsafe([&where] { where.set_value(std::this_thread::get_id()); });
  EXPECT_EQ(where.get_future().get(), lt.thread_id());
}

TEST(CallSoonThreadsafe, CancelledHandleDoesNotRun) {
  aio::EventLoop loop(aio_test::virtual_clock());
  bool ran = false;
  std::thread other([&] {
    auto h = loop.call_soon_threadsafe([&ran] { ran = true; });
    h.cancel();  // before the loop runs: no other thread touches it yet
  });
  other.join();
  loop.run_until_complete([]() -> aio::Task<void> { co_await aio::sleep(0); }());
  EXPECT_FALSE(ran);
}

TEST(CallSoonThreadsafe, RaisesOnAClosedLoopFromAnyThread) {
  aio::EventLoop loop;
  loop.close();
  std::thread other([&] {
    try {
      loop.call_soon_threadsafe([] {});
      ADD_FAILURE() << "no error";
    } catch (const aio::RuntimeError& e) {
      EXPECT_STREQ(e.what(), "Event loop is closed: call_soon_threadsafe() cannot reach it any more");
    }
  });
  other.join();
}

}  // namespace
