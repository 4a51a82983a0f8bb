// TaskGroup: start tasks that must all finish; one failure stops them all.
#include <cstdio>
#include <string>

#include "aio/aio.hpp"

aio::Task<std::string> say_after(double delay, std::string what) {
  co_await aio::sleep(delay);
  std::printf("%s\n", what.c_str());
  co_return what;
}

aio::Task<void> broken(double delay) {
  co_await aio::sleep(delay);
  throw std::runtime_error("broken");
}

aio::Task<void> main_task() {
  aio::Task<std::string> t1, t2;
  co_await aio::task_group([&](aio::TaskGroup& tg) -> aio::Task<void> {
    t1 = tg.create_task(say_after(1, "hello"));
    t2 = tg.create_task(say_after(2, "world"));
    std::printf("started\n");
    co_return;
  });
  std::printf("both done: %s %s\n", t1.result().c_str(), t2.result().c_str());

  try {
    co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
      (void)tg.create_task(say_after(5, "never printed"));
      (void)tg.create_task(broken(1));
      co_await aio::sleep(10);  // cancelled when `broken` fails
    });
  } catch (const aio::ExceptionGroup& eg) {
    std::printf("%s\n", eg.what());
    for (auto& e : eg.exceptions()) std::printf("  %s\n", aio::describe_exception(e).c_str());
  }
}

int main() { aio::run(main_task(), {.clock = aio::Clock::virtual_time}); }
