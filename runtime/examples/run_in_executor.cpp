// run_in_executor: hand work to an executor of your choosing and await its
// result as an aio::Future (asyncio's loop.run_in_executor).
#include <cstdio>
#include <vector>

#include "aio/aio.hpp"

namespace {

long long sum_of_squares(long long n) {
  long long s = 0;
  for (long long i = 1; i <= n; ++i) s += i * i;
  return s;
}

aio::Task<void> main_task() {
  auto& loop = aio::get_running_loop();
  aio::ThreadPoolExecutor pool(2);  // at most two jobs at a time
  std::vector<aio::Future<long long>> jobs;
  for (long long n : {1000, 2000, 3000})
    jobs.push_back(aio::run_in_executor(loop, &pool, [n] { return sum_of_squares(n); }));
  for (auto& job : jobs) std::printf("%lld\n", co_await job);
  pool.shutdown();

  // The loop's default executor (nullptr), then shut down as asyncio.run
  // does: its workers are joined on a thread of their own, so the loop keeps
  // running; past the timeout (seconds) it warns and stops waiting.
  auto small = aio::run_in_executor(loop, nullptr, [] { return sum_of_squares(10); });
  std::printf("%lld\n", co_await small);
  co_await aio::shutdown_default_executor(loop, 5.0);
}

}  // namespace

int main() { aio::run(main_task()); }
