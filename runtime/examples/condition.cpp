// aio::Condition: consumers wait for a shared stock to be refilled; the
// producer notifies them while holding the lock.
#include <cstdio>
#include <vector>

#include "aio/aio.hpp"

aio::Task<void> consumer(aio::Condition& cond, int& stock, int id) {
  auto guard = co_await cond.scoped();
  co_await cond.wait_for([&] { return stock > 0; });  // the lock is held again here
  --stock;
  std::printf("consumer %d took one, %d left\n", id, stock);
}

aio::Task<void> amain() {
  aio::Condition cond;
  int stock = 0;
  std::vector<aio::Task<void>> consumers;
  for (int i = 0; i < 3; ++i) consumers.push_back(aio::create_task(consumer(cond, stock, i)));
  for (int round = 0; round < 2; ++round) {
    co_await aio::sleep(1);
    auto guard = co_await cond.scoped();
    stock += 2;
    std::printf("producer added 2 (stock %d)\n", stock);
    cond.notify_all();
  }
  for (auto& c : consumers) co_await c;
}

int main() { aio::run(amain(), {.clock = aio::Clock::virtual_time}); }
