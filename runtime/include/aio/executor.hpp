#pragma once
/// Executors: where blocking work runs so it does not stall the loop
/// (asyncio's run_in_executor and concurrent.futures.ThreadPoolExecutor).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "aio/detail/callback.hpp"
#include "aio/event_loop.hpp"
#include "aio/future.hpp"

namespace aio {

/// Runs jobs off the loop's thread.
class Executor {
 public:
  virtual ~Executor() = default;
  /// Queue `job` to run on a worker. Raises RuntimeError after shutdown().
  virtual void submit(detail::Callback job) = 0;
  /// Stop accepting jobs; with `wait`, block until queued jobs have run and
  /// the workers have exited.
  virtual void shutdown(bool wait = true) = 0;
};

/// A pool of worker threads started on demand, like Python's
/// ThreadPoolExecutor (default size: min(32, cores + 4)).
class ThreadPoolExecutor final : public Executor {
 public:
  explicit ThreadPoolExecutor(std::size_t max_workers = 0);
  ~ThreadPoolExecutor() override;
  void submit(detail::Callback job) override;
  void shutdown(bool wait = true) override;
  std::size_t max_workers() const noexcept { return max_workers_; }

 private:
  void worker();
  std::size_t max_workers_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<detail::Callback> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool shutdown_ = false;
};

namespace detail {
// Completes `fut` on its loop's thread from a worker thread. The future's
// reference was taken on the loop thread; it is released there too.
template <class T, class F>
void run_job_and_deliver(EventLoop* loop, FutureState<T>* fut, F& fn) {
  std::exception_ptr error;
  std::optional<std::conditional_t<std::is_void_v<T>, char, T>> value;
  try {
    if constexpr (std::is_void_v<T>) {
      fn();
      value.emplace(0);
    } else {
      value.emplace(fn());
    }
  } catch (...) {
    error = std::current_exception();
  }
  try {
  loop->call_soon_threadsafe(
      [loop, fut, error = std::move(error), value = std::move(value)]() mutable {
        loop->end_external_work();
        // asyncio's _chain_future: a cancelled destination ignores the result.
        if (!fut->done()) {
          if (error) {
            fut->set_exception(error);
          } else {
            if constexpr (!std::is_void_v<T>) fut->store(std::move(*value));
            fut->finish_with_result();
          }
        }
        fut->release();
      },
      "executor result");
  } catch (...) {
    // The loop was closed while the job ran: nobody is left to receive the
    // result, and the future may only be released on the loop's thread.
  }
}
}  // namespace detail

/// Run `fn()` on `executor` (the loop's default one when null) and return a
/// future for its result, completed on the loop's thread. Cancelling the
/// future does not stop a job already running, as in asyncio.
template <class F>
auto run_in_executor(EventLoop& loop, Executor* executor, F fn) -> Future<std::invoke_result_t<F&>> {
  using T = std::invoke_result_t<F&>;
  loop.check_closed();
  Future<T> fut = loop.create_future<T>();
  auto* state = static_cast<detail::FutureState<T>*>(&fut.core());
  state->add_ref();  // held by the job until the result is delivered
  Executor& ex = executor ? *executor : loop.default_executor();
  loop.begin_external_work();
  try {
    ex.submit([loop = &loop, state, fn = std::move(fn)]() mutable { detail::run_job_and_deliver(loop, state, fn); });
  } catch (...) {
    loop.end_external_work();
    state->release();
    throw;
  }
  return fut;
}

}  // namespace aio
