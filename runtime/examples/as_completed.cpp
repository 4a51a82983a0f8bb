// as_completed: handle results as soon as each one is ready.
#include <cstdio>
#include <string>
#include <vector>

#include "aio/aio.hpp"

aio::Task<std::string> download(std::string url, double seconds) {
  co_await aio::sleep(seconds);
  co_return url;
}

aio::Task<void> main_task() {
  std::vector<aio::Task<std::string>> downloads{download("a.example", 3), download("b.example", 1),
                                                download("c.example", 2), download("d.example", 9)};
  try {
    for (auto next : aio::as_completed(downloads, 5.0)) {
      std::string url = co_await next;
      std::printf("t=%.0f %s\n", aio::get_running_loop().time(), url.c_str());
    }
  } catch (const aio::TimeoutError&) {
    std::printf("t=%.0f gave up on the rest\n", aio::get_running_loop().time());
  }

  // Python 3.13's `async for task in as_completed(tasks)`: the tasks themselves, done.
  std::vector<aio::Task<std::string>> tasks{aio::create_task(download("e.example", 2), "e"),
                                            aio::create_task(download("f.example", 1), "f")};
  auto completed = aio::as_completed(tasks);
  while (auto task = co_await completed.next())
    std::printf("t=%.0f task %s: %s\n", aio::get_running_loop().time(), task->get_name().c_str(),
                task->result().c_str());
}

int main() { aio::run(main_task(), {.clock = aio::Clock::virtual_time}); }
