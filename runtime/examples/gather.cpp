// gather: run coroutines concurrently and collect their results in order.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "aio/aio.hpp"

aio::Task<int> factorial(std::string name, int number) {
  int f = 1;
  for (int i = 2; i <= number; ++i) {
    std::printf("Task %s: Compute factorial(%d)...\n", name.c_str(), i);
    co_await aio::sleep(1);
    f *= i;
  }
  std::printf("Task %s: factorial(%d) = %d\n", name.c_str(), number, f);
  co_return f;
}

aio::Task<int> fails() {
  co_await aio::sleep(0.5);
  throw std::runtime_error("boom");
}

aio::Task<void> main_task() {
  // Three coroutines at once; a tuple of results in argument order.
  auto [a, b, c] = co_await aio::gather(factorial("A", 2), factorial("B", 3), factorial("C", 4));
  std::printf("results: %d %d %d\n", a, b, c);

  // A list of tasks gives a vector; return_exceptions gives Outcomes.
  std::vector<aio::Task<int>> tasks;
  tasks.push_back(factorial("D", 2));
  tasks.push_back(fails());
  auto outcomes = co_await aio::gather(aio::return_exceptions, tasks);
  for (auto& o : outcomes)
    std::printf("%s\n", o ? std::to_string(o.value()).c_str() : aio::describe_exception(o.exception()).c_str());

  // The gathering future can be cancelled: its children are.
  auto g = aio::gather(factorial("E", 5), factorial("F", 5));
  co_await aio::sleep(1.5);
  g.cancel();
  try {
    co_await g;
  } catch (const aio::CancelledError&) {
    std::printf("gather cancelled\n");
  }
}

int main() { aio::run(main_task(), {.clock = aio::Clock::virtual_time}); }
