#pragma once
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

}  // namespace aio::detail
