#pragma once
/// Crossing threads: run_coroutine_threadsafe hands a coroutine to a loop
/// running on another thread; to_thread runs a blocking function on the
/// default executor without blocking the loop (asyncio's tasks.py and
/// threads.py). See also concurrent_future.hpp (ConcurrentFuture,
/// wrap_future) and executor.hpp (run_in_executor).
#include <exception>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>

#include "aio/concurrent_future.hpp"
#include "aio/event_loop.hpp"
#include "aio/executor.hpp"
#include "aio/task.hpp"

namespace aio {
namespace detail {

// The task side of a run_coroutine_threadsafe chain, as other threads see
// it. `task` is touched only on the loop's thread; `loop` is cleared (under
// `mutex`) when the task dies pending with its loop, so that a late cancel()
// from another thread does not reach a loop that is gone.
struct ThreadsafeTaskLink {
  std::mutex mutex;
  EventLoop* loop = nullptr;
  TaskCore* task = nullptr;  // null once done

  // _call_check_cancel (any thread): asyncio's source_loop.call_soon_threadsafe(source.cancel).
  static void cancel_task(const std::shared_ptr<ThreadsafeTaskLink>& link) {
    std::lock_guard lock(link->mutex);
    if (!link->loop) return;
    try {
      link->loop->call_soon_threadsafe(
          [link] {
            if (link->task) link->task->cancel();
          },
          "run_coroutine_threadsafe cancel");
    } catch (...) {
      // The loop is closed: its tasks are gone already.
    }
  }
};

// _call_set_state as the task's done callback: copies the task's outcome to
// the ConcurrentFuture (_set_concurrent_future_state). Dropped unfired when
// the task is destroyed pending (its loop closed): the ConcurrentFuture is
// then cancelled so that nobody blocks on result() forever.
template <class T>
struct CopyTaskState {
  std::shared_ptr<ThreadsafeTaskLink> link;
  ConcurrentFuture<T> dest;

  CopyTaskState(std::shared_ptr<ThreadsafeTaskLink> l, ConcurrentFuture<T> d) : link(std::move(l)), dest(std::move(d)) {}
  CopyTaskState(CopyTaskState&&) noexcept = default;
  ~CopyTaskState() {
    if (!link) return;
    {
      std::lock_guard lock(link->mutex);
      link->loop = nullptr;
      link->task = nullptr;
    }
    dest.cancel();
  }

  void operator()(Task<T>& task) {
    auto l = std::move(link);  // fired: the destructor has nothing left to do
    l->task = nullptr;
    if (task.cancelled()) {
      dest.cancel();
      return;
    }
    if (!dest.set_running_or_notify_cancel()) return;  // cancelled by the caller
    if (auto e = task.exception()) {
      dest.set_exception(e);
    } else if constexpr (std::is_void_v<T>) {
      dest.set_result();
    } else {
      // Only this chain reads the task, which nobody else can reach.
      dest.set_result(static_cast<TaskPromise<T>&>(task.core()).take());
    }
  }
};

// The callback run_coroutine_threadsafe sends to the loop. Dropped unrun
// (the loop closed first), it cancels the ConcurrentFuture.
template <class T>
struct StartThreadsafe {
  EventLoop* loop;
  Task<T> coro;
  ConcurrentFuture<T> future;
  bool ran = false;

  StartThreadsafe(EventLoop* l, Task<T> c, ConcurrentFuture<T> f) : loop(l), coro(std::move(c)), future(std::move(f)) {}
  StartThreadsafe(StartThreadsafe&& o) noexcept
      : loop(o.loop), coro(std::move(o.coro)), future(o.future), ran(std::exchange(o.ran, true)) {}
  ~StartThreadsafe() {
    if (!ran) future.cancel();
  }

  void operator()() {
    ran = true;
    try {
      Task<T> task = loop->create_task(std::move(coro));
      // _chain_future(task, future)
      auto link = std::make_shared<ThreadsafeTaskLink>();
      link->loop = loop;
      link->task = &task.core();
      future.add_done_callback([link](ConcurrentFuture<T> f) {
        if (f.cancelled()) ThreadsafeTaskLink::cancel_task(link);
      });
      task.add_done_callback(CopyTaskState<T>(link, future));
    } catch (...) {
      if (future.set_running_or_notify_cancel()) future.set_exception(std::current_exception());
      throw;
    }
  }
};

}  // namespace detail

/// Schedule the coroutine `coro` as a task on `loop`, which runs on another
/// thread, and return a ConcurrentFuture for its result (asyncio's
/// run_coroutine_threadsafe). Callable from any thread but the loop's own
/// (waiting there on result() would deadlock).
///
/// The task is created on the loop's thread on its next iteration. Results,
/// exceptions and cancellation flow both ways: `future.cancel()` cancels the
/// task on its loop (the future reports cancelled at once, whatever the task
/// then does); a task cancelled on its loop cancels the future. If the loop
/// closes before the task finishes, the future is cancelled.
/// Raises RuntimeError if `coro` is not an unstarted coroutine, or if the loop
/// is closed.
template <class T>
ConcurrentFuture<T> run_coroutine_threadsafe(Task<T> coro, EventLoop& loop) {
  if (!coro || coro.core().phase() != detail::TaskCore::Phase::created)
    throw RuntimeError("run_coroutine_threadsafe: a coroutine object is required (call the coroutine function "
                       "and pass what it returns, unstarted)");
  ConcurrentFuture<T> future;
  loop.call_soon_threadsafe(detail::StartThreadsafe<T>(&loop, std::move(coro), future), "run_coroutine_threadsafe");
  return future;
}

/// Run the blocking function `fn()` on the running loop's default executor
/// and return its result (asyncio.to_thread). Suspends the calling task until
/// the worker is done; the loop keeps running other tasks meanwhile.
/// Cancellation: the task is cancelled at once; `fn` still runs to the end
/// if it has started (threads cannot be interrupted), and its result is
/// dropped.
template <class F>
auto to_thread(F fn) -> Task<std::invoke_result_t<F&>> {
  using T = std::invoke_result_t<F&>;
#if AIO_HAS_CONTEXTVARS
  // asyncio.to_thread: functools.partial(copy_context().run, func). Not in
  // run_in_executor, which runs `fn` in the worker's own context.
  auto in_context = [context = copy_context(), fn = std::move(fn)]() mutable -> T { return context.run(fn); };
  Future<T> fut = run_in_executor(get_running_loop(), nullptr, std::move(in_context));
#else
  Future<T> fut = run_in_executor(get_running_loop(), nullptr, std::move(fn));
#endif
  if constexpr (std::is_void_v<T>)
    co_await fut;
  else
    co_return co_await fut;
}

}  // namespace aio
