#pragma once
/// aio::shield: protect a task from the cancellation of whoever awaits it
/// (asyncio.shield).
///
///     std::string r = co_await aio::shield(task);
///
/// If the task awaiting the shield is cancelled, it gets CancelledError as
/// usual, but the inner task goes on undisturbed. Cancelling the inner task
/// by other means still cancels the shield.
///
/// shield() returns a new Future<T> (the outer future of asyncio). When the
/// inner awaitable is already done, asyncio returns the inner future itself;
/// here a Future<T> input is likewise returned as it is, while a done Task<T>
/// gives a new future that is already done with the same outcome (a Task is
/// not a Future<T> in C++). An unstarted coroutine is scheduled as a task.
///
/// Keep a reference to the inner task if you want its result after the
/// shield was cancelled. See runtime/examples/shield.cpp.
#include <utility>

#include "aio/detail/future_like.hpp"

namespace aio {
namespace detail {

// Copies inner's outcome to outer (asyncio's _inner_done_callback body).
template <class F, class T>
void shield_copy_outcome(const F& inner, Future<T>& outer) {
  FutureCore& core = inner.core();
  if (core.cancelled()) {
    outer.cancel();
  } else if (std::exception_ptr exc = core.exception()) {
    outer.set_exception(std::move(exc));
  } else if constexpr (std::is_void_v<T>) {
    outer.set_result();
  } else {
    outer.set_result(result_of(inner));
  }
}

}  // namespace detail

/// Wait for `awaitable` (task, future or unstarted coroutine) without letting
/// the awaiting task's cancellation reach it. Returns the future to await.
template <class A>
  requires detail::FutureLike<std::decay_t<A>>
Future<detail::future_value_t<A>> shield(A&& awaitable) {
  using T = detail::future_value_t<A>;
  auto inner = detail::to_future(std::forward<A>(awaitable));
  if constexpr (std::is_same_v<decltype(inner), Future<T>>) {
    if (inner.done()) return inner;  // asyncio's shortcut
  }
  EventLoop& loop = *inner.core().loop();
  Future<T> outer = loop.create_future<T>();
  if (inner.done()) {
    detail::shield_copy_outcome(inner, outer);
    return outer;
  }
  // Each callback holds the other future; the cycle ends when either
  // completes (the outer's callback removes the inner's).
  std::uint64_t inner_cb =
      detail::add_core_callback(inner.core(), [inner, outer](detail::FutureCore&) mutable {
        if (outer.cancelled()) {
          if (!inner.cancelled()) inner.exception();  // mark the result retrieved
          return;
        }
        detail::shield_copy_outcome(inner, outer);
      });
  outer.add_done_callback([inner, inner_cb](Future<T>&) {
    if (!inner.done()) inner.core().remove_callback_id(inner_cb);
  });
  return outer;
}

/// The same for a bare awaitable: `shield(aio::sleep(1, x))`.
template <class A>
  requires detail::BareAwaitable<std::remove_cvref_t<A>>
Future<detail::await_result_t<std::remove_cvref_t<A>>> shield(A&& awaitable) {
  return shield(detail::coroutine_of(std::forward<A>(awaitable)));
}

}  // namespace aio
