// contextvars across threads (aio/contextvars.hpp): to_thread copies the
// context into the worker, run_in_executor does not, call_soon_threadsafe
// captures the calling thread's context. Run under TSan by the tsan preset
// (ctest -R "contextvar|thread"): contexts made on one thread are released
// on another.
#include "aio/config.hpp"

#if AIO_HAS_CONTEXTVARS
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <thread>
#include <vector>

#include "aio/aio.hpp"
#include "unit/threads/loop_thread.hpp"

namespace {

using aio_test::virtual_clock;

aio::ContextVar<std::string> request("request");

aio::Task<std::vector<std::string>> to_thread_and_executor() {
  std::vector<std::string> seen;
  request.set("r1");
  auto loop_thread = std::this_thread::get_id();
  // to_thread: the worker runs in a copy, so its set is not seen here.
  seen.push_back(co_await aio::to_thread([loop_thread] {
    std::string v = request.get("none") + (std::this_thread::get_id() == loop_thread ? " on loop" : " on worker");
    request.set("set by worker");
    return v;
  }));
  // run_in_executor: the worker thread's own context, which is empty.
  aio::Future<std::string> plain =
      aio::run_in_executor(aio::get_running_loop(), nullptr, [] { return request.get("none"); });
  seen.push_back(co_await plain);
  seen.push_back(request.get());
  co_return seen;
}

TEST(ContextVarsThreads, ToThreadCopiesTheContextRunInExecutorDoesNot) {
  auto seen = aio::run(to_thread_and_executor(), virtual_clock());
  EXPECT_EQ(seen, (std::vector<std::string>{"r1 on worker", "none", "r1"}));
}

TEST(ContextVarsThreads, CallSoonThreadsafeCapturesTheCallersContext) {
  aio_test::LoopThread lt;
  std::promise<std::string> seen_bound, seen_captured, seen_plain;
  std::thread producer([&] {
    // The producer's base context, captured by the first call; the second
    // runs in a Context given explicitly; the third was scheduled from an
    // empty context.
    lt.loop().call_soon_threadsafe([&] { seen_plain.set_value(request.get("none")); });
    aio::Token<std::string> t = request.set("from producer");
    lt.loop().call_soon_threadsafe([&] { seen_captured.set_value(request.get("none")); });
    aio::Context ctx;
    ctx.run([] { request.set("explicit"); });
    lt.loop().call_soon_threadsafe([&] { seen_bound.set_value(request.get("none")); }, ctx);
    request.reset(t);
  });
  producer.join();
  EXPECT_EQ(seen_plain.get_future().get(), "none");
  EXPECT_EQ(seen_captured.get_future().get(), "from producer");
  EXPECT_EQ(seen_bound.get_future().get(), "explicit");
}

TEST(ContextVarsThreads, ContextsCrossThreadsAndAreReleasedThere) {
  // Many copies made on one thread and dropped on others: the counts are
  // atomic (TSan checks it; ASan checks that the last one frees the state).
  aio::Context ctx;
  ctx.run([] { request.set("shared"); });
  std::vector<std::thread> threads;
  std::vector<std::string> seen(4);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([copy = ctx.copy(), &seen, i] {
      for (int j = 0; j < 1000; ++j) aio::Context again = copy.copy();
      seen[i] = copy.run([] { return request.get(); });
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen, (std::vector<std::string>(4, "shared")));
}

}  // namespace
#endif
