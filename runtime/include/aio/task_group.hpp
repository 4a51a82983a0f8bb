#pragma once
/// aio::TaskGroup: structured concurrency (asyncio.TaskGroup, 3.11).
///
/// Python writes `async with asyncio.TaskGroup() as tg: body`. C++ cannot
/// co_await in a destructor, so a TaskGroup runs its body instead: the body is
/// a coroutine run inline in the current task, and run() returns only once
/// the body and every task created in the group are done:
///
///     aio::TaskGroup tg;
///     co_await tg.run([&](aio::TaskGroup& g) -> aio::Task<void> {
///       auto a = g.create_task(fetch(1));
///       auto b = g.create_task(fetch(2));
///       co_await something();
///     });
///     // here a and b are done
///
/// or `co_await aio::task_group(body)` when the group object is not needed
/// afterwards (run() works on named groups only: a coroutine running on a
/// temporary would outlive it). This shape makes "forgot to wait for the group"
/// impossible, which a `TaskGroup tg; ...; co_await tg.join();` design could
/// only report after the fact.
///
/// Semantics are those of taskgroups.py: the first child that fails makes the
/// group cancel the other children and the body's task (which is the parent
/// task: the caller's); run() then raises an ExceptionGroup("unhandled errors
/// in a TaskGroup", [...]) holding every child error in the order they
/// happened (plus the body's own error, last, if it raised something other
/// than CancelledError). A group holding anything that is not a
/// std::exception is a BaseExceptionGroup. Cancelled children are not errors.
/// The cancellation the group requested on its parent is withdrawn with
/// uncancel() when the group exits, so the caller can catch the group error
/// and go on.
///
/// Cancellation: cancelling the parent task while run() waits cancels every
/// child, waits for them, and raises CancelledError (unless a child error
/// takes priority). Nested groups work as nested `async with` blocks.
/// The TaskGroup object must outlive its run(). See runtime/examples/task_group.cpp.
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aio/errors.hpp"
#include "aio/detail/future_like.hpp"
#include "aio/detail/scope_body.hpp"
#include "aio/eager_task.hpp"

namespace aio {

/// A group of tasks that run() waits for, cancelling all of them when one
/// fails (asyncio.TaskGroup). Belongs to the loop of the task that runs it.
class TaskGroup {
 public:
  TaskGroup();
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;
  ~TaskGroup();

  /// Schedule `coro` (an unstarted coroutine) as a task of the group and
  /// return it. The group keeps the task, so the handle may be dropped:
  /// `(void)tg.create_task(f());` (Task is [[nodiscard]] to catch coroutines
  /// called and never awaited). RuntimeError when the group is not running, is finished, or
  /// is shutting down after a failure; TypeError if `coro` already started.
  template <class T>
  Task<T> create_task(Task<T> coro, std::string name = {});
  /// create_task with `eager_start=` (asyncio 3.14, see aio/eager_task.hpp):
  /// `tg.create_task(f(), "name", aio::eager_start)`. A task that finishes in
  /// its eager first step is never added to the group: as in asyncio 3.12+,
  /// the group takes its outcome at once, so a failure there has cancelled
  /// the siblings and the parent task before create_task returns.
  template <class T>
  Task<T> create_task(Task<T> coro, EagerStart eager);
  template <class T>
  Task<T> create_task(Task<T> coro, std::string name, EagerStart eager);
  /// The same for a bare awaitable (`tg.create_task(aio::sleep(1))`), run in
  /// a coroutine of its own.
  template <class A>
    requires detail::BareAwaitable<std::remove_cvref_t<A>>
  Task<detail::await_result_t<std::remove_cvref_t<A>>> create_task(A&& awaitable, std::string name = {}) {
    return create_task(detail::wrap_awaitable_arg(std::forward<A>(awaitable)), std::move(name));
  }

  /// Run `body` (see detail/scope_body.hpp) as the block of the group, then
  /// wait for every task of the group; returns the body's result. Suspends
  /// as the body does and while tasks remain. Raises the group's
  /// ExceptionGroup if children failed, else whatever the body raised.
  template <class Body>
  Task<detail::body_result_t<Body, TaskGroup>> run(Body body) &;
  /// On a temporary (`co_await aio::TaskGroup().run(body)`): the returned
  /// coroutine owns a fresh group (see aio::task_group()), so it may outlive
  /// the temporary.
  template <class Body>
  Task<detail::body_result_t<Body, TaskGroup>> run(Body body) &&;

  /// `async with`'s entry, for building other scopes: binds the group to the
  /// current task. RuntimeError outside a task or when entered twice.
  void enter();
  /// `async with`'s exit: `exc` is how the block ended (null: normally).
  /// Waits for the tasks; raises the ExceptionGroup or a CancelledError as
  /// asyncio's __aexit__ does. If it returns, the caller rethrows `exc`.
  Task<void> exit(std::exception_ptr exc);

  /// Like Python's repr: "<TaskGroup tasks=2 errors=1 cancelling>".
  std::string repr() const;

 private:
  struct Child {
    TaskRef task;
    std::uint64_t callback_id;
  };
  void abort();
  void on_task_done(detail::FutureCore& task);
  void check_can_create(const detail::TaskCore& coro) const;
  void adopt(detail::TaskCore& task);

  bool entered_ = false;
  bool exiting_ = false;
  bool aborting_ = false;
  bool parent_cancel_requested_ = false;
  EventLoop* loop_ = nullptr;
  TaskRef parent_task_;
  std::vector<Child> tasks_;  // asyncio's _tasks set, in creation order
  std::vector<std::exception_ptr> errors_;
  Future<void> on_completed_fut_;
  // The done callbacks of the children reach the group through this, so a
  // callback already scheduled when the group is destroyed finds nothing.
  std::shared_ptr<TaskGroup*> self_;
};

template <class T>
Task<T> TaskGroup::create_task(Task<T> coro, std::string name) {
  check_can_create(coro.core());
  Task<T> task = loop_->create_task(std::move(coro), std::move(name));
  adopt(task.core());
  return task;
}

template <class T>
Task<T> TaskGroup::create_task(Task<T> coro, EagerStart eager) {
  return create_task(std::move(coro), std::string(), eager);
}

template <class T>
Task<T> TaskGroup::create_task(Task<T> coro, std::string name, EagerStart eager) {
  check_can_create(coro.core());
  Task<T> task = loop_->create_task(std::move(coro), std::move(name), eager);
  adopt(task.core());
  return task;
}

template <class Body>
Task<detail::body_result_t<Body, TaskGroup>> task_group(Body body);

template <class Body>
Task<detail::body_result_t<Body, TaskGroup>> TaskGroup::run(Body body) && {
  if (entered_) throw RuntimeError("TaskGroup has already been entered");
  return task_group(std::move(body));
}

template <class Body>
Task<detail::body_result_t<Body, TaskGroup>> TaskGroup::run(Body body) & {
  return detail::run_in_scope(*this, std::move(body));
}

/// Run `body` in a new TaskGroup that the returned coroutine owns: the form
/// to use when the group object is not needed afterwards, safe to await
/// inline or to schedule as a task. `co_await aio::task_group([&](aio::TaskGroup& tg) -> aio::Task<void> {...})`.
template <class Body>
Task<detail::body_result_t<Body, TaskGroup>> task_group(Body body) {
  TaskGroup tg;
  co_return co_await tg.run(std::move(body));
}

}  // namespace aio
