// Looking at running tasks: current_task, all_tasks, get_stack, print_stack
// (asyncio.current_task(), asyncio.all_tasks(), Task.get_stack/print_stack).
#include <cstdio>

#include "aio/aio.hpp"

aio::Task<void> fetch_row(aio::Event& ready) {
  co_await ready.wait();  // where print_stack will find it
}

aio::Task<void> worker(aio::Event& ready) { co_await fetch_row(ready); }

aio::Task<void> main_task() {
  aio::Event ready;
  auto w = aio::create_task(worker(ready), "worker");
  co_await aio::sleep(0);  // let the worker start and suspend

  std::printf("current task: %s\n", aio::current_task().get_name().c_str());
  for (const aio::TaskRef& t : aio::all_tasks()) std::printf("task %s, done: %d\n", t.get_name().c_str(), t.done());
  for (const auto& frame : w.get_stack()) std::printf("  %s, line %u\n", frame.function, frame.line);
  w.print_stack(stdout);  // Stack for <Task pending name='worker' ...> (most recent call last): ...

  ready.set();
  co_await w;
  w.print_stack(stdout);  // No stack for <Task finished name='worker'>
}

int main() { aio::run(main_task(), {.clock = aio::Clock::virtual_time}); }
