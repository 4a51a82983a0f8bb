// timeout / timeout_at: a deadline for a block of code, which can be moved.
#include <cstdio>

#include "aio/aio.hpp"

aio::Task<void> step(double seconds) { co_await aio::sleep(seconds); }

aio::Task<void> main_task() {
  auto& loop = aio::get_running_loop();
  aio::Timeout cm = aio::timeout(1.0);
  try {
    co_await cm.run([&]() -> aio::Task<void> {
      co_await step(0.5);
      cm.reschedule(loop.time() + 2);  // more time for the second step
      std::printf("deadline moved to t=%.1f\n", *cm.when());
      co_await step(3600);
    });
  } catch (const aio::TimeoutError&) {
    std::printf("timed out at t=%.1f, expired=%d\n", loop.time(), cm.expired());
  }

  int v = co_await aio::timeout_at(loop.time() + 10, []() -> aio::Task<int> {
    co_await step(1);
    co_return 42;
  });
  std::printf("in time: %d\n", v);
}

int main() { aio::run(main_task(), {.clock = aio::Clock::virtual_time}); }
