#include "aio/executor.hpp"

#include <algorithm>

namespace aio {

ThreadPoolExecutor::ThreadPoolExecutor(std::size_t max_workers)
    : max_workers_(max_workers ? max_workers
                               : std::min<std::size_t>(32, std::max(1u, std::thread::hardware_concurrency()) + 4)) {}

ThreadPoolExecutor::~ThreadPoolExecutor() { shutdown(true); }

void ThreadPoolExecutor::submit(detail::Callback job) {
  std::unique_lock lock(mutex_);
  if (shutdown_) throw RuntimeError("cannot schedule new futures after shutdown");
  jobs_.push_back(std::move(job));
  // Start a worker only when none is idle, up to the limit (as CPython does).
  if (idle_ == 0 && threads_.size() < max_workers_) {
    threads_.emplace_back([this] { worker(); });
  } else {
    lock.unlock();
    cv_.notify_one();
  }
}

void ThreadPoolExecutor::worker() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_;
    cv_.wait(lock, [this] { return shutdown_ || !jobs_.empty(); });
    --idle_;
    if (jobs_.empty()) return;  // shut down and drained
    detail::Callback job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    job.reset();  // destroy captures outside the lock
    lock.lock();
  }
}

void ThreadPoolExecutor::shutdown(bool wait) {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    shutdown_ = true;
    if (wait) threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads) t.join();
}

}  // namespace aio
