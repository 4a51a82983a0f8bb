// run_coroutine_threadsafe: a plain thread hands coroutines to a loop running
// on another thread and blocks on their results (asyncio's
// run_coroutine_threadsafe).
#include <cstdio>
#include <future>
#include <thread>

#include "aio/aio.hpp"

namespace {

aio::Task<int> slow_double(int x) {
  co_await aio::sleep(0.1);
  co_return 2 * x;
}

aio::Task<int> never_finishes() {
  co_await aio::sleep(3600);
  co_return 0;
}

}  // namespace

int main() {
  // The loop lives on its own thread: created, run and closed there. The
  // Runner's close() cancels and finishes whatever tasks are left.
  aio::EventLoop* loop = nullptr;
  std::promise<void> running;
  std::thread loop_thread([&] {
    aio::Runner runner;
    loop = &runner.get_loop();
    loop->call_soon([&running] { running.set_value(); });
    loop->run_forever();
  });
  running.get_future().wait();

  auto f = aio::run_coroutine_threadsafe(slow_double(21), *loop);
  std::printf("result: %d\n", f.result());

  auto slow = aio::run_coroutine_threadsafe(never_finishes(), *loop);
  try {
    slow.result(0.2);
  } catch (const aio::TimeoutError&) {
    std::printf("timed out, cancelling\n");
    slow.cancel();  // cancels the task on its loop
  }

  loop->call_soon_threadsafe([loop] { loop->stop(); });
  loop_thread.join();
}
