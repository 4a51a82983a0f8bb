// aio::Semaphore: at most two downloads run at a time; the others queue in
// arrival order.
#include <cstdio>
#include <vector>

#include "aio/aio.hpp"

aio::Task<int> download(aio::Semaphore& slots, int id) {
  auto guard = co_await slots.scoped();
  std::printf("t=%.0f start %d\n", aio::get_running_loop().time(), id);
  co_await aio::sleep(1);
  std::printf("t=%.0f done  %d\n", aio::get_running_loop().time(), id);
  co_return id * 100;
}

aio::Task<void> amain() {
  aio::Semaphore slots(2);
  std::vector<aio::Task<int>> jobs;
  for (int i = 0; i < 5; ++i) jobs.push_back(aio::create_task(download(slots, i)));
  int total = 0;
  for (auto& j : jobs) total += co_await j;
  std::printf("total %d\n", total);

  aio::BoundedSemaphore bounded(1);
  try {
    bounded.release();  // never acquired
  } catch (const aio::ValueError& e) {
    std::printf("ValueError: %s\n", e.what());
  }
}

int main() { aio::run(amain(), {.clock = aio::Clock::virtual_time}); }
