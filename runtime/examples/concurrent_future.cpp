// ConcurrentFuture + wrap_future: a result produced by an ordinary thread,
// awaited by a task without blocking the loop (asyncio.wrap_future).
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "aio/aio.hpp"

aio::Task<void> main_task() {
  aio::ConcurrentFuture<std::string> reply;
  std::thread producer([reply]() mutable {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    reply.set_result("hello from a thread");
  });
  std::string text = co_await aio::wrap_future(reply);
  std::printf("%s\n", text.c_str());
  producer.join();
}

int main() { aio::run(main_task()); }
