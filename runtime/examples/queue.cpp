// aio::Queue: a producer feeds two workers through a bounded queue, waits for
// all items with join(), then shuts the queue down so the workers stop.
#include <cstdio>
#include <memory>
#include <string>

#include "aio/aio.hpp"

aio::Task<void> worker(aio::Queue<std::unique_ptr<std::string>>& q, const char* name) {
  try {
    for (;;) {
      std::unique_ptr<std::string> job = co_await q.get();
      co_await aio::sleep(1);
      std::printf("t=%.0f %s did %s\n", aio::get_running_loop().time(), name, job->c_str());
      q.task_done();
    }
  } catch (const aio::QueueShutDown&) {
    std::printf("%s: queue shut down, stopping\n", name);
  }
}

aio::Task<void> amain() {
  aio::Queue<std::unique_ptr<std::string>> q(2);  // items may be move-only
  auto w1 = aio::create_task(worker(q, "w1"));
  auto w2 = aio::create_task(worker(q, "w2"));
  for (int i = 0; i < 5; ++i) {
    co_await q.put(std::make_unique<std::string>("job" + std::to_string(i)));  // waits while full
    std::printf("t=%.0f queued job%d (qsize %zu)\n", aio::get_running_loop().time(), i, q.qsize());
  }
  co_await q.join();
  std::printf("all jobs done\n");
  q.shutdown();
  co_await w1;
  co_await w2;

  aio::PriorityQueue<std::pair<int, std::string>> pq;
  pq.put_nowait({2, "later"});
  pq.put_nowait({1, "first"});
  std::printf("priority queue gives: %s\n", pq.get_nowait().second.c_str());
}

int main() { aio::run(amain(), {.clock = aio::Clock::virtual_time}); }
