#pragma once
#include <exception>
#include <optional>
#include <type_traits>
// The body of a scope (Timeout::run, TaskGroup::run): the C++ stand-in for
// the block of an `async with` statement. Accepted forms: an unstarted
// coroutine `Task<T>`, a callable returning one that takes the scope object
// (`[&](aio::TaskGroup& tg) -> aio::Task<T> {...}`), or one taking nothing.
#include <type_traits>
#include <utility>

#include "aio/task.hpp"

namespace aio::detail {

template <class Body, class Scope>
decltype(auto) start_body(Body& body, Scope& scope) {
  if constexpr (std::is_invocable_v<Body&, Scope&>)
    return body(scope);
  else if constexpr (std::is_invocable_v<Body&>)
    return body();
  else
    return std::move(body);  // already a coroutine object
}

template <class Body, class Scope>
using body_task_t = std::decay_t<decltype(start_body(std::declval<Body&>(), std::declval<Scope&>()))>;

template <class Body, class Scope>
using body_result_t = typename body_task_t<Body, Scope>::value_type;

/// `async with scope: body` for the scopes (TaskGroup, Timeout): enter, run
/// the body inline, hand how it ended to exit() (awaited when exit() is a
/// coroutine), then rethrow the body's exception or return its result. C++
/// cannot co_await in a catch block, hence the exception_ptr.
template <class Scope, class Body>
Task<body_result_t<Body, Scope>> run_in_scope(Scope& scope, Body body) {
  using T = body_result_t<Body, Scope>;
  scope.enter();
  std::exception_ptr exc;
  std::optional<std::conditional_t<std::is_void_v<T>, char, T>> result;
  try {
    if constexpr (std::is_void_v<T>)
      co_await start_body(body, scope);
    else
      result.emplace(co_await start_body(body, scope));
  } catch (...) {
    exc = std::current_exception();
  }
  if constexpr (std::is_void_v<decltype(scope.exit(exc))>)
    scope.exit(exc);
  else
    co_await scope.exit(exc);
  if (exc) std::rethrow_exception(exc);
  if constexpr (!std::is_void_v<T>) co_return std::move(*result);
}

}  // namespace aio::detail
