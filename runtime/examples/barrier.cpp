// aio::Barrier: three tasks arrive at different times and leave together.
#include <cstdio>
#include <vector>

#include "aio/aio.hpp"

aio::Task<void> party(aio::Barrier& barrier, int id) {
  co_await aio::sleep(id + 1);
  std::printf("t=%.0f party %d arrives (%d waiting)\n", aio::get_running_loop().time(), id, barrier.n_waiting());
  int index = co_await barrier.wait();
  std::printf("t=%.0f party %d passes with index %d\n", aio::get_running_loop().time(), id, index);
}

aio::Task<void> amain() {
  aio::Barrier barrier(3);
  std::vector<aio::Task<void>> parties;
  for (int i = 0; i < 3; ++i) parties.push_back(aio::create_task(party(barrier, i)));
  for (auto& p : parties) co_await p;
  std::printf("broken: %s\n", barrier.broken() ? "yes" : "no");
}

int main() { aio::run(amain(), {.clock = aio::Clock::virtual_time}); }
