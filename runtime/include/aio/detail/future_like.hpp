#pragma once
// Shared plumbing of the combinators (gather, wait, wait_for, shield,
// as_completed, TaskGroup): treating Task<T>, Future<T>, GatheringFuture<R>
// and TaskRef alike through their FutureCore, the way asyncio's combinators
// treat anything that passes futures.isfuture().
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "aio/future.hpp"
#include "aio/task.hpp"

namespace aio {
template <class R>
class GatheringFuture;
}  // namespace aio

namespace aio::detail {

// A done callback that receives the type-erased core: lets one helper watch a
// Task<int>, a Future<std::string> and a TaskRef alike. Scheduled with
// call_soon like every done callback (never run inline).
template <class F>
struct CoreCallbackNode : HeapCallbackNode {
  explicit CoreCallbackNode(F f) : HeapCallbackNode(&kOps), fn(std::move(f)) {}
  static constexpr HeapCallbackOps kOps{
      [](DoneCallbackNode* n, FutureCore& core) { static_cast<CoreCallbackNode*>(n)->fn(core); },
      [](DoneCallbackNode* n) noexcept { delete static_cast<CoreCallbackNode*>(n); }};
  F fn;
};

/// Adds `fn(FutureCore&)` as a done callback of `core`; returns its id for
/// `core.remove_callback_id(id)`.
template <class F>
std::uint64_t add_core_callback(FutureCore& core, F fn) {
  auto* node = new CoreCallbackNode<F>(std::move(fn));
  node->id = core.next_callback_id();
  auto id = node->id;
  core.add_callback_node(node);
  return id;
}

/// What `co_await x` gives for a future-like x.
template <class F>
using future_value_t = typename std::decay_t<F>::value_type;

/// True for the handle types the combinators accept.
template <class F>
concept FutureLike = requires(const F& f) {
  f.core();
  f.done();
};

template <class T>
struct is_task : std::false_type {};
template <class T>
struct is_task<Task<T>> : std::true_type {};

/// asyncio's _ensure_future: an unstarted coroutine becomes a task on the
/// running loop; a task or future is returned as it is.
template <class T>
Task<T> to_future(Task<T> t) {
  if (t.is_task()) return t;
  return create_task(std::move(t));
}
template <class F>
  requires(FutureLike<F> && !is_task<F>::value)
F to_future(F f) {
  return f;
}

/// What the combinators take: a future-like, or a bare awaitable (the awaiter
/// of aio::sleep() or Event::wait(), ...) that runs in a coroutine of its own.
template <class A>
concept AwaitableArg = FutureLike<std::decay_t<A>> || BareAwaitable<std::remove_cvref_t<A>>;

/// A future-like as it is; a bare awaitable as an unstarted coroutine that
/// awaits it, which the combinator then schedules where asyncio's
/// ensure_future would.
template <class A>
decltype(auto) coroutine_of(A&& a) {
  if constexpr (BareAwaitable<std::remove_cvref_t<A>>)
    return wrap_awaitable_arg(std::forward<A>(a));
  else
    return std::forward<A>(a);
}

/// The same for a list: a vector of bare awaitables becomes a vector of
/// unstarted coroutines.
template <class F>
auto coroutines_of(std::vector<F> fs) {
  if constexpr (BareAwaitable<F>) {
    std::vector<decltype(wrap_awaitable(std::declval<F>()))> out;
    out.reserve(fs.size());
    for (F& f : fs) out.push_back(wrap_awaitable(std::move(f)));
    return out;
  } else {
    return fs;
  }
}

/// The check asyncio's _ensure_future(fut, loop=loop) makes of a future
/// that exists already: ValueError if it belongs to another loop, whose
/// thread would run the callbacks `who` adds to it.
inline void check_future_loop(const FutureCore& fut, const EventLoop& loop, const char* who) {
  if (fut.loop() && fut.loop() != &loop)
    throw_future_of_another_loop(std::string(who) + " needs futures of the running loop");
}

/// Where a future-like keeps its value.
template <class T>
ValueStorage<T>& value_storage(const Task<T>& t) {
  return static_cast<TaskPromise<T>&>(t.core());
}
template <class T>
ValueStorage<T>& value_storage(const Future<T>& f) {
  return static_cast<FutureState<T>&>(f.core());
}

template <class R>
ValueStorage<R>& value_storage(const GatheringFuture<R>& g);  // gather.hpp

/// `fut.result()` by value: a copy when the value type allows it (the caller
/// may still read the future), else moved out (move-only results).
template <class F>
future_value_t<F> result_of(const F& f) {
  using T = future_value_t<F>;
  if constexpr (std::is_void_v<T>) {
    f.result();
  } else if constexpr (std::is_copy_constructible_v<T>) {
    return T(f.result());
  } else {
    f.core().check_result();
    return value_storage(f).take();
  }
}

}  // namespace aio::detail
