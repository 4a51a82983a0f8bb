// aio::Event: three tasks wait for a starting signal set by a fourth.
#include <cstdio>
#include <string>
#include <vector>

#include "aio/aio.hpp"

aio::Task<void> runner(aio::Event& go, std::string name) {
  std::printf("%s waiting\n", name.c_str());
  co_await go.wait();
  std::printf("%s running at t=%.1f\n", name.c_str(), aio::get_running_loop().time());
}

aio::Task<void> amain() {
  aio::Event go;
  std::vector<aio::Task<void>> runners;
  for (const char* n : {"r1", "r2", "r3"}) runners.push_back(aio::create_task(runner(go, n)));
  co_await aio::sleep(1);
  std::printf("set!\n");
  go.set();
  for (auto& r : runners) co_await r;
}

int main() { aio::run(amain(), {.clock = aio::Clock::virtual_time}); }
