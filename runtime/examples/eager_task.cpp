// Eager tasks (asyncio.eager_task_factory, Python 3.12; create_task's
// eager_start=, 3.14): a task's first step runs inside create_task, so a
// coroutine that needs no wait (a cache hit) is done before create_task
// returns and never goes through the event loop.
#include <cstdio>
#include <map>
#include <string>

#include "aio/aio.hpp"

std::map<int, std::string> cache = {{1, "one"}};

aio::Task<std::string> lookup(int key) {
  std::printf("  %s: looking up %d\n", aio::current_task().get_name().c_str(), key);
  if (auto it = cache.find(key); it != cache.end()) co_return it->second;  // no suspension
  co_await aio::sleep(0.1);                                                // a slow fetch
  co_return cache[key] = "key " + std::to_string(key);
}

aio::Task<void> main_task() {
  std::printf("lazy (the default):\n");
  auto lazy = aio::create_task(lookup(1), "lazy");
  std::printf("  created, done: %d\n", lazy.done());  // 0: its first step is only scheduled

  std::printf("eager, one task (eager_start=True):\n");
  auto hit = aio::create_task(lookup(1), "hit", aio::eager_start);
  std::printf("  created, done: %d, result: %s\n", hit.done(), hit.result().c_str());

  std::printf("eager, every task (loop.set_task_factory(asyncio.eager_task_factory)):\n");
  aio::get_running_loop().set_task_factory(aio::eager_task_factory);
  auto miss = aio::create_task(lookup(2), "miss");
  std::printf("  created, done: %d (suspended in its sleep)\n", miss.done());
  std::string a = co_await lazy;
  std::string b = co_await miss;
  std::printf("  results: %s, %s\n", a.c_str(), b.c_str());
}

int main() { aio::run(main_task(), {.clock = aio::Clock::virtual_time}); }
