#pragma once
/// aio::wait: wait for some or all of a list of tasks/futures (asyncio.wait).
///
///     auto [done, pending] = co_await aio::wait(tasks, {.return_when = aio::FIRST_COMPLETED});
///
/// Returns {done, pending}. asyncio returns two sets; here they are vectors
/// that keep the order of the input list (duplicates dropped), which makes
/// results deterministic and needs no hashing of handles.
///
/// Like 3.11, wait() does not raise on timeout (the unfinished ones are simply
/// in `pending`), never cancels the futures it waits for, and refuses
/// unstarted coroutines (TypeError: wrap them with create_task first) and an
/// empty list (ValueError). Those errors are raised when the result is
/// awaited, as asyncio raises them from the coroutine.
///
/// Cancellation: cancelling the waiting task raises CancelledError in it and
/// leaves the awaited futures running.
/// See runtime/examples/wait.cpp.
#include <initializer_list>
#include <memory>
#include <optional>
#include <vector>

#include "aio/errors.hpp"
#include "aio/detail/future_like.hpp"

namespace aio {

/// When wait() returns (asyncio.FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED).
enum class ReturnWhen {
  /// As soon as any future is done or cancelled.
  first_completed,
  /// As soon as any future finishes by raising an exception (a cancelled one
  /// does not count); when none does, like all_completed.
  first_exception,
  /// When every future is done or cancelled.
  all_completed,
};
inline constexpr ReturnWhen FIRST_COMPLETED = ReturnWhen::first_completed;
inline constexpr ReturnWhen FIRST_EXCEPTION = ReturnWhen::first_exception;
inline constexpr ReturnWhen ALL_COMPLETED = ReturnWhen::all_completed;

/// wait()'s keyword arguments.
struct WaitOptions {
  /// Seconds to wait at most; nullopt waits as long as it takes.
  std::optional<double> timeout = std::nullopt;
  ReturnWhen return_when = ReturnWhen::all_completed;
};

/// What wait() returns: the futures that are done and those that are not,
/// each in input order.
template <class F>
struct WaitResult {
  std::vector<F> done;
  std::vector<F> pending;
};

namespace detail {

// The state _wait() shares with its _on_completion callbacks. Shared, because
// a callback scheduled just before wait() returns still runs afterwards.
struct WaitShared {
  Future<void> waiter;
  TimerHandle timeout_handle;
  std::size_t counter = 0;
  ReturnWhen return_when = ReturnWhen::all_completed;

  void on_completion(FutureCore& f) {
    --counter;
    if (counter == 0 || return_when == ReturnWhen::first_completed ||
        (return_when == ReturnWhen::first_exception && !f.cancelled() && f.exception())) {
      timeout_handle.cancel();
      if (!waiter.done()) waiter.set_result();
    }
  }
};

template <class F>
Task<WaitResult<F>> wait_impl(std::vector<F> fs, WaitOptions options) {
  if (fs.empty()) throw ValueError("Set of Tasks/Futures is empty.");
  // asyncio: fs = set(fs). Keep the first occurrence of each future.
  std::vector<F> unique;
  unique.reserve(fs.size());
  for (F& f : fs) {
    bool dup = false;
    for (const F& u : unique) dup = dup || &u.core() == &f.core();
    if (!dup) unique.push_back(std::move(f));
  }
  for (const F& f : unique) {
    if constexpr (is_task<F>::value) {
      if (!f.is_task())
        throw TypeError(
            "Passing coroutines is forbidden, use tasks explicitly: wrap each coroutine with aio::create_task()");
    }
  }
  EventLoop& loop = get_running_loop();
  auto shared = std::make_shared<WaitShared>();
  shared->waiter = loop.create_future<void>();
  shared->counter = unique.size();
  shared->return_when = options.return_when;
  if (options.timeout) {
    Future<void> waiter = shared->waiter;
    shared->timeout_handle = loop.call_later(
        *options.timeout,
        [waiter]() mutable {
          if (!waiter.done()) waiter.set_result();  // asyncio's _release_waiter
        },
        "wait timeout");
  }
  std::vector<std::uint64_t> ids;
  ids.reserve(unique.size());
  for (const F& f : unique)
    ids.push_back(add_core_callback(f.core(), [shared](FutureCore& done) { shared->on_completion(done); }));
  struct Finally {  // asyncio: finally: timeout_handle.cancel(); remove_done_callback(...)
    WaitShared& shared;
    std::vector<F>& fs;
    std::vector<std::uint64_t>& ids;
    ~Finally() {
      shared.timeout_handle.cancel();
      for (std::size_t i = 0; i < fs.size(); ++i) fs[i].core().remove_callback_id(ids[i]);
    }
  };
  {
    Finally cleanup{*shared, unique, ids};
    co_await shared->waiter;
  }
  WaitResult<F> result;
  for (F& f : unique) (f.done() ? result.done : result.pending).push_back(std::move(f));
  co_return result;
}

}  // namespace detail

/// Wait until the futures/tasks in `fs` are done as `options.return_when`
/// says, or until `options.timeout` passes; returns {done, pending}.
/// Suspends the current task; resumed by the futures' done callbacks or the
/// timeout. Raises TypeError for an unstarted coroutine and ValueError for an
/// empty list when awaited.
template <class F>
  requires detail::FutureLike<F>
Task<WaitResult<F>> wait(std::vector<F> fs, WaitOptions options = {}) {
  return detail::wait_impl(std::move(fs), options);
}

/// wait() over a braced list: `auto w = aio::wait({t1, t2}); co_await w;`.
/// (g++ 12 rejects a braced list written inside a co_await expression,
/// "array used as initializer"; clang accepts `co_await aio::wait({t1, t2})`.)
template <class F>
  requires detail::FutureLike<F>
Task<WaitResult<F>> wait(std::initializer_list<F> fs, WaitOptions options = {}) {
  return detail::wait_impl(std::vector<F>(fs), options);
}

}  // namespace aio
