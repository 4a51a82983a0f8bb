// wait: wait for the first of several tasks to finish, then for the rest.
#include <cstdio>
#include <string>
#include <vector>

#include "aio/aio.hpp"

aio::Task<std::string> job(std::string name, double delay) {
  co_await aio::sleep(delay);
  co_return name;
}

aio::Task<void> main_task() {
  std::vector<aio::Task<std::string>> tasks{aio::create_task(job("slow", 3)), aio::create_task(job("fast", 1)),
                                            aio::create_task(job("mid", 2))};
  auto [done, pending] = co_await aio::wait(tasks, {.return_when = aio::FIRST_COMPLETED});
  std::printf("first done: %s (%zu pending)\n", done[0].result().c_str(), pending.size());

  auto rest = co_await aio::wait(pending, {.timeout = 1.5});
  std::printf("after 1.5 s more: %zu done, %zu still pending\n", rest.done.size(), rest.pending.size());

  auto all = co_await aio::wait(tasks);
  for (auto& t : all.done) std::printf("%s\n", t.result().c_str());
}

int main() { aio::run(main_task(), {.clock = aio::Clock::virtual_time}); }
