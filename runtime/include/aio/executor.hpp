#pragma once
/// Executors: where blocking work runs so it does not stall the loop
/// (asyncio's run_in_executor and concurrent.futures.ThreadPoolExecutor).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "aio/concurrent_future.hpp"
#include "aio/config.hpp"
#include "aio/detail/callback.hpp"
#include "aio/event_loop.hpp"
#include "aio/future.hpp"

namespace aio {

namespace detail {
inline constexpr const char* kNoThreadsMessage =
    "run_in_executor() and to_thread() need a threads-enabled build: this WebAssembly module was built "
    "without -pthread, so there is no Web Worker to run the job on, and running it inline would block the "
    "event loop. Build with -pthread (the npm package's threads module, which createRuntime() loads in a "
    "cross-origin isolated page, or in Node with {threads: true}) and serve the page cross-origin isolated "
    "(headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), which "
    "threads (SharedArrayBuffer) require";
}  // namespace detail

/// Runs jobs off the loop's thread.
class Executor {
 public:
  virtual ~Executor() = default;
  /// Queue `job` to run on a worker. Raises RuntimeError after shutdown().
  virtual void submit(detail::Callback job) = 0;
  /// Stop accepting jobs; with `wait`, block until queued jobs have run and
  /// the workers have exited (in every thread that calls it; RuntimeError
  /// from one of the workers, which would wait for itself).
  virtual void shutdown(bool wait = true) = 0;
};

/// A pool of worker threads started on demand, like Python's
/// ThreadPoolExecutor (default size: min(32, cores + 4)). In a build without
/// threads (see config.hpp) submit() raises RuntimeError.
///
/// The destructor shuts the pool down and joins its workers, except when a
/// job of its own destroys it (the job held the last reference to it, or to
/// the loop whose default executor it is): that worker cannot join itself,
/// so it is detached and exits once the job is done.
class ThreadPoolExecutor final : public Executor {
 public:
  explicit ThreadPoolExecutor(std::size_t max_workers = 0);
  ~ThreadPoolExecutor() override;
  void submit(detail::Callback job) override;
  void shutdown(bool wait = true) override;
  std::size_t max_workers() const noexcept { return max_workers_; }

 private:
  // Shared with the workers, which may outlive the executor (see above).
  struct State {
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<detail::Callback> jobs;
    std::vector<std::thread> threads;
    std::size_t idle = 0;
    bool shutdown = false;
    std::size_t joining = 0;         // shutdown(true) calls joining workers now
    std::condition_variable joined;  // notified when one of them is done
  };
  static void worker(std::shared_ptr<State> state);
  // Joins the workers not yet taken by another caller; returns with `lock` held.
  static void join_workers(State& s, std::unique_lock<std::mutex>& lock);
  std::size_t max_workers_;
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

/// Run `fn()` on `executor` (the loop's default one when null) and return a
/// future for its result, completed on the loop's thread (asyncio's
/// loop.run_in_executor: executor.submit, then wrap_future). Call it on the
/// loop's thread. Cancelling the future cancels the job if no worker has
/// started it yet; a job already running finishes and its result is dropped.
/// While the job is in flight a virtual clock does not jump.
///
/// The loop must outlive jobs it submitted to an executor of its own making:
/// close() waits only for the default executor.
///
/// Raises RuntimeError in a build without threads (AIO_HAS_THREADS is 0, as
/// in WebAssembly built without -pthread): running `fn` inline instead would
/// block the loop, which is what run_in_executor exists to avoid.
template <class F>
auto run_in_executor(EventLoop& loop, Executor* executor, F fn) -> Future<std::invoke_result_t<F&>> {
  using T = std::invoke_result_t<F&>;
  loop.check_closed();
#if !AIO_HAS_THREADS
  throw RuntimeError(detail::kNoThreadsMessage);
#endif
  Executor& ex = executor ? *executor : loop.default_executor();
  // concurrent.futures' _WorkItem.run: only the job and the chain below see
  // `source`, so its value can be moved into the loop's future.
  ConcurrentFuture<T> source;
  ex.submit([source, fn = std::move(fn)]() mutable {
    if (!source.set_running_or_notify_cancel()) return;  // cancelled while queued
    try {
      if constexpr (std::is_void_v<T>) {
        fn();
        source.set_result();
      } else {
        source.set_result(fn());
      }
    } catch (...) {
      source.set_exception(std::current_exception());
    }
  });
  return wrap_future(loop, std::move(source), /*sole_reader=*/true);
}

/// asyncio's `await loop.shutdown_default_executor()`: a future that
/// completes once the loop's default executor has run its queued jobs and
/// its workers have exited, waited for on a thread of its own, so the loop
/// keeps running meanwhile. What a host that must not block (the browser's
/// main thread) runs before close(), whose shutdown then has nothing left to
/// wait for. Done at once when the loop has no default executor, or (without
/// threads) has nothing to wait for.
Future<void> shutdown_default_executor(EventLoop& loop);

template <class T>
class Task;

/// asyncio 3.12's `await loop.shutdown_default_executor(timeout)`: the same,
/// waiting at most `timeout` seconds. Past it, asyncio's RuntimeWarning goes
/// to stderr ("The executor did not finishing joining its threads within 2
/// seconds.") and the coroutine returns, leaving the workers to finish their
/// jobs; loop.close() still waits for them, where asyncio leaves them to the
/// interpreter's exit (a job's result must not reach a loop that is gone).
Task<void> shutdown_default_executor(EventLoop& loop, double timeout);

/// run_in_executor on the running loop's default executor.
template <class F>
auto run_in_executor(F fn) -> Future<std::invoke_result_t<F&>> {
  return run_in_executor(get_running_loop(), nullptr, std::move(fn));
}

}  // namespace aio
