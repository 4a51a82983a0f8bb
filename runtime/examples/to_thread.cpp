// to_thread: run a blocking function on a worker thread while the loop keeps
// running other tasks (asyncio.to_thread).
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "aio/aio.hpp"

namespace {

// Stands in for a blocking call: a file read, a database driver, a hash.
std::string blocking_io() {
  std::printf("start blocking_io\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::printf("blocking_io complete\n");
  return "payload";
}

aio::Task<void> ticker() {
  for (int i = 0; i < 3; ++i) {
    std::printf("tick %d\n", i);
    co_await aio::sleep(0.05);
  }
}

aio::Task<void> main_task() {
  auto t = aio::create_task(ticker());
  std::string data = co_await aio::to_thread(blocking_io);
  std::printf("got %s\n", data.c_str());
  co_await t;
}

}  // namespace

int main() { aio::run(main_task()); }
