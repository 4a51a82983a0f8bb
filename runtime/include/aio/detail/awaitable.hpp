#pragma once
// What `co_await` accepts besides aio's futures and tasks: the awaiters that
// aio::sleep() and Event::wait() return (plain awaiters, so that a yield or a
// wait allocates nothing) and any awaiter a user writes.
//
// In asyncio, sleep() and Event.wait() are coroutines, so every function that
// takes a coroutine takes them too: `wait_for(event.wait(), 1)`,
// `gather(sleep(1), sleep(2))`, `create_task(sleep(5))`. Those functions
// accept a BareAwaitable and run it in a coroutine of its own, as asyncio's
// ensure_future does with any awaitable (tasks.py, _wrap_awaitable).
#include <type_traits>
#include <utility>

#include "aio/coro.hpp"

namespace aio::detail {

/// An object with await_ready/await_suspend/await_resume.
template <class A>
concept Awaiter = requires(A& a, coro::coroutine_handle<> h) {
  static_cast<bool>(a.await_ready());
  a.await_suspend(h);
  a.await_resume();
};

/// Something `co_await` accepts that is not one of aio's futures or tasks
/// (those have `core()` and go through the futures' own paths): an awaiter,
/// or an object whose member `operator co_await` gives one.
template <class A>
concept BareAwaitable = !requires(const A& a) { a.core(); } &&
                        (Awaiter<A> || Awaiter<decltype(std::declval<A&&>().operator co_await())>);

template <class A>
struct awaiter_of {
  using type = A;
};
template <class A>
  requires requires(A&& a) { static_cast<A&&>(a).operator co_await(); }
struct awaiter_of<A> {
  using type = decltype(std::declval<A&&>().operator co_await());
};

/// What `co_await a` gives for a bare awaitable `a`.
template <class A>
using await_result_t = decltype(std::declval<typename awaiter_of<A>::type&>().await_resume());

}  // namespace aio::detail
