#pragma once
/// Eager tasks: asyncio's eager task factory (Python 3.12) and create_task's
/// `eager_start=` (3.14).
///
/// An eager task runs its first step at once, inside create_task, instead of
/// on the loop's next iteration. A coroutine that finishes (or raises)
/// without suspending is then done when create_task returns and is never
/// scheduled on the loop; one that suspends goes on as an ordinary task.
/// During that step the new task is the current task (current_task()), and
/// the task that called create_task, if any, is again afterwards. Done
/// callbacks are still scheduled with call_soon, never called inline. A
/// loop that is not running starts its tasks as usual: only a running loop
/// steps a task eagerly.
///
///     loop.set_task_factory(aio::eager_task_factory);          // every task
///     auto t = aio::create_task(fetch(1), "f", aio::eager_start); // one task
///     auto u = aio::create_task(fetch(2), aio::EagerStart{false}); // eager_start=False
///
/// This changes when code runs: the body up to its first suspension runs
/// before create_task returns, so whatever the caller does next comes after.
/// See runtime/examples/eager_task.cpp.
#include <string>
#include <utility>

#include "aio/event_loop.hpp"
#include "aio/task.hpp"

namespace aio {

/// create_task's `eager_start=` argument: `aio::eager_start` is
/// `eager_start=True`, `aio::EagerStart{false}` is `eager_start=False`, which
/// starts the task lazily even under an eager task factory (as in 3.14).
struct EagerStart {
  bool value = true;
};
inline constexpr EagerStart eager_start{};

template <class T>
Task<T> EventLoop::create_task(Task<T> coro, EagerStart eager) {
  return create_task(std::move(coro), std::string(), eager);
}

template <class T>
Task<T> EventLoop::create_task(Task<T> coro, std::string name, EagerStart eager) {
  check_closed();
  if (coro.core().phase() != detail::TaskCore::Phase::created) {
    if (coro.is_task()) return coro;  // already a task (ensure_future semantics): it has started
    detail::throw_reused_coroutine();
  }
  coro.core().start_task(*this, std::move(name), eager.value);
  return coro;
}

/// asyncio.create_task(coro, eager_start=...) on the running loop.
template <class T>
Task<T> create_task(Task<T> coro, EagerStart eager) {
  return get_running_loop().create_task(std::move(coro), eager);
}
template <class T>
Task<T> create_task(Task<T> coro, std::string name, EagerStart eager) {
  return get_running_loop().create_task(std::move(coro), std::move(name), eager);
}

/// asyncio.eager_task_factory: `loop.set_task_factory(aio::eager_task_factory)`
/// starts every task the loop creates eagerly (unless create_task is given
/// `aio::EagerStart{false}`).
inline void eager_task_factory(EventLoop&, detail::TaskCore& task) { task.set_eager_start(true); }

/// asyncio.create_eager_task_factory(custom_task_constructor): a task factory
/// that calls `custom` (which may rename the task, add done callbacks ...)
/// and then starts the task eagerly. In C++ a factory cannot swap the task's
/// type, so what Python does in a Task subclass's constructor goes in
/// `custom`; it runs before the eager step, as a constructor would.
inline EventLoop::TaskFactory create_eager_task_factory(EventLoop::TaskFactory custom) {
  return [custom = std::move(custom)](EventLoop& loop, detail::TaskCore& task) {
    if (custom) custom(loop, task);
    task.set_eager_start(true);
  };
}

}  // namespace aio
