// shield: let an important task finish even if its caller is cancelled.
#include <cstdio>
#include <string>

#include "aio/aio.hpp"

aio::Task<std::string> save_to_disk() {
  co_await aio::sleep(2);
  std::printf("saved\n");
  co_return "ok";
}

aio::Task<void> request(aio::Task<std::string> save) {
  try {
    std::printf("request got %s\n", (co_await aio::shield(save)).c_str());
  } catch (const aio::CancelledError&) {
    std::printf("request cancelled; the save goes on\n");
    throw;
  }
}

aio::Task<void> main_task() {
  auto save = aio::create_task(save_to_disk());
  auto r = aio::create_task(request(save));
  co_await aio::sleep(1);
  r.cancel();
  std::printf("save result: %s\n", (co_await save).c_str());
}

int main() { aio::run(main_task(), {.clock = aio::Clock::virtual_time}); }
