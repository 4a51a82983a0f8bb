#pragma once
/// aio::wait_for: await something with a time limit (asyncio.wait_for, as
/// implemented in CPython 3.11).
///
///     std::string r = co_await aio::wait_for(fetch(), 1.5);        // at most 1.5 s
///     std::string r = co_await aio::wait_for(fetch(), std::nullopt); // no limit
///
/// An unstarted coroutine is scheduled as a task (except with no timeout,
/// where it is simply awaited inline, as 3.11 does). When the time is up the
/// task/future is cancelled and wait_for *waits until it has really finished*
/// (its cleanup may take time) before raising TimeoutError; if the
/// cancellation was swallowed and the task returned a value, that value is
/// returned instead. A timeout <= 0 cancels at once unless the awaitable is
/// already done.
///
/// Cancellation: cancelling the waiting task cancels the awaited task too,
/// waits for it to finish, then raises CancelledError (or returns the result
/// if the awaited task managed to finish first).
/// See runtime/examples/wait_for.cpp.
#include <optional>

#include "aio/detail/future_like.hpp"

namespace aio {
namespace detail {

/// asyncio's _cancel_and_wait: cancel `fut` and wait until it is done,
/// without awaiting it directly so that this wait stays cancellable itself.
inline Task<void> cancel_and_wait(FutureCore& fut, EventLoop& loop) {
  Future<void> waiter = loop.create_future<void>();
  fut.add_ref();
  struct Finally {
    FutureCore& fut;
    std::uint64_t id;
    ~Finally() {
      fut.remove_callback_id(id);
      fut.release();
    }
  } cleanup{fut, add_core_callback(fut, [waiter](FutureCore&) mutable {
              if (!waiter.done()) waiter.set_result();
            })};
  fut.cancel();
  co_await waiter;
}

template <class A>
Task<future_value_t<A>> wait_for_impl(A aw, std::optional<double> timeout) {
  if (!timeout) co_return co_await std::move(aw);
  EventLoop& loop = get_running_loop();

  if (*timeout <= 0) {
    auto fut = to_future(std::move(aw));
    check_future_loop(fut.core(), loop, "wait_for()");
    if (fut.done()) co_return result_of(fut);
    co_await cancel_and_wait(fut.core(), loop);
    try {
      co_return result_of(fut);
    } catch (const CancelledError&) {
      throw TimeoutError();
    }
  }

  Future<void> waiter = loop.create_future<void>();
  TimerHandle timeout_handle = loop.call_later(
      *timeout,
      [waiter]() mutable {
        if (!waiter.done()) waiter.set_result();  // asyncio's _release_waiter
      },
      "wait_for timeout");
  struct CancelTimer {  // asyncio: finally: timeout_handle.cancel()
    TimerHandle& handle;
    ~CancelTimer() { handle.cancel(); }
  } cancel_timer{timeout_handle};

  auto fut = to_future(std::move(aw));
  check_future_loop(fut.core(), loop, "wait_for()");
  std::uint64_t cb = add_core_callback(fut.core(), [waiter](FutureCore&) mutable {
    if (!waiter.done()) waiter.set_result();
  });

  // Wait until the future completes or the timeout. A co_await cannot sit in
  // a catch block, so the CancelledError is kept and handled below.
  std::exception_ptr cancelled;
  try {
    co_await waiter;
  } catch (const CancelledError&) {
    cancelled = std::current_exception();
  }
  if (cancelled) {
    if (fut.done()) co_return result_of(fut);
    fut.core().remove_callback_id(cb);
    // The task must not be running any more once wait_for returns
    // (bpo-32751), so wait for the cancellation to take effect.
    co_await cancel_and_wait(fut.core(), loop);
    std::rethrow_exception(cancelled);
  }
  if (fut.done()) co_return result_of(fut);
  fut.core().remove_callback_id(cb);
  co_await cancel_and_wait(fut.core(), loop);
  // If the cancellation was answered with an exception (or a result), that
  // is what the caller gets (bpo-40607).
  try {
    co_return result_of(fut);
  } catch (const CancelledError&) {
    throw TimeoutError();
  }
}

}  // namespace detail

/// Await `awaitable` (a task, a future or an unstarted coroutine) for at most
/// `timeout` seconds (nullopt: no limit) and return its result; on timeout,
/// cancel it, wait for it to finish and raise TimeoutError. Suspends the
/// current task; see the top of this header for cancellation.
template <class A>
  requires detail::FutureLike<std::decay_t<A>>
Task<detail::future_value_t<A>> wait_for(A&& awaitable, std::optional<double> timeout) {
  return detail::wait_for_impl<std::decay_t<A>>(std::forward<A>(awaitable), timeout);
}
/// The same for a bare awaitable: `wait_for(event.wait(), 1.0)`.
template <class A>
  requires detail::BareAwaitable<std::remove_cvref_t<A>>
Task<detail::await_result_t<std::remove_cvref_t<A>>> wait_for(A&& awaitable, std::optional<double> timeout) {
  return wait_for(detail::coroutine_of(std::forward<A>(awaitable)), timeout);
}

}  // namespace aio
