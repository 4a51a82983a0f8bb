// wait_for: give an operation a time limit.
#include <cstdio>
#include <optional>
#include <string>

#include "aio/aio.hpp"

aio::Task<std::string> slow_fetch(double seconds) {
  try {
    co_await aio::sleep(seconds);
  } catch (const aio::CancelledError&) {
    std::printf("fetch cancelled after the deadline\n");
    throw;
  }
  co_return "payload";
}

aio::Task<void> main_task() {
  std::printf("%s\n", (co_await aio::wait_for(slow_fetch(1), 2.0)).c_str());
  try {
    co_await aio::wait_for(slow_fetch(3600), 1.0);
  } catch (const aio::TimeoutError&) {
    std::printf("timed out at t=%.1f\n", aio::get_running_loop().time());
  }
  std::printf("%s (no limit)\n", (co_await aio::wait_for(slow_fetch(5), std::nullopt)).c_str());
  // Awaiters such as Event::wait()'s and aio::sleep()'s go where asyncio takes
  // its coroutines of the same name: `await asyncio.wait_for(ready.wait(), 1)`.
  aio::Event ready;
  aio::get_running_loop().call_later(0.5, [&ready] { ready.set(); });
  if (co_await aio::wait_for(ready.wait(), 1.0)) std::printf("event set at t=%.1f\n", aio::get_running_loop().time());
}

int main() { aio::run(main_task(), {.clock = aio::Clock::virtual_time}); }
