#pragma once
/// aio::Timeout, aio::timeout, aio::timeout_at: a deadline for a block of
/// code (asyncio.timeout, 3.11).
///
/// Python writes `async with asyncio.timeout(1) as cm: body`. C++ cannot
/// co_await in a destructor or inside a catch block, so a plain RAII guard
/// could not see how the block ended; instead the block is a coroutine that
/// the scope runs, inline, in the current task:
///
///     aio::Timeout cm = aio::timeout(1.0);
///     try {
///       int r = co_await cm.run([&]() -> aio::Task<int> {
///         co_await step1();
///         cm.reschedule(aio::get_running_loop().time() + 2);   // push the deadline back
///         co_return co_await step2();
///       });
///     } catch (const aio::TimeoutError&) {
///       // cm.expired() is true
///     }
///
/// or, when the scope object is not needed afterwards,
/// `co_await aio::timeout(1.0, body())`. (run() works on named Timeouts only:
/// a coroutine running on a temporary would outlive it.) The body runs in the *same*
/// task (no task is created, as in asyncio), so current_task(), cancelling and
/// uncancel() all see the caller's task.
///
/// When the deadline passes the task is cancelled; when the body then ends
/// with CancelledError and no cancellation of the task was requested since
/// the scope was entered other than the deadline's (uncancel() falls back to
/// what cancelling() was on entry), the CancelledError becomes TimeoutError.
/// A cancellation that came from elsewhere during the body stays a
/// CancelledError. A Timeout
/// object is entered once; it must outlive its run().
/// See runtime/examples/timeouts.cpp.
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "aio/detail/scope_body.hpp"
#include "aio/handle.hpp"
#include "aio/task.hpp"

namespace aio {

/// A deadline that cancels the current task (asyncio.Timeout). Create it with
/// timeout() or timeout_at(), then run a body with run().
class Timeout {
 public:
  /// A timeout for absolute loop time `when` (nullopt: none yet).
  explicit Timeout(std::optional<double> when) noexcept : when_(when) {}
  Timeout(const Timeout&) = delete;
  Timeout& operator=(const Timeout&) = delete;
  ~Timeout();

  /// The deadline, on the loop's clock, or nullopt when there is none.
  std::optional<double> when() const noexcept { return when_; }
  /// Move the deadline (nullopt: remove it). A deadline already past fires on
  /// the next loop iteration. RuntimeError unless the scope is active (entered
  /// and not yet expiring or exited).
  void reschedule(std::optional<double> when);
  /// True once the deadline has fired during the body.
  bool expired() const noexcept { return state_ == State::expiring || state_ == State::expired; }
  /// Like Python's repr: "<Timeout [active] when=1.0>".
  std::string repr() const;

  /// Run `body` (see detail/scope_body.hpp for the accepted forms) inside the
  /// scope, in the current task, and return its result. Suspends as the body
  /// does. Raises TimeoutError if the deadline cancelled the body; other
  /// exceptions of the body pass through.
  template <class Body>
  Task<detail::body_result_t<Body, Timeout>> run(Body body) &;
  /// On a temporary (`co_await aio::timeout(1).run(body)`): the returned
  /// coroutine owns a Timeout with the same deadline, so it may outlive the
  /// temporary (be handed to create_task, say).
  template <class Body>
  Task<detail::body_result_t<Body, Timeout>> run(Body body) &&;

  /// `async with`'s entry, for building other scopes: starts the timer for the
  /// current task. RuntimeError outside a task or if entered before.
  void enter();
  /// `async with`'s exit: `exc` is how the body ended (null: normally). Throws
  /// TimeoutError when the expiry must be reported; otherwise returns, and
  /// the caller rethrows `exc` itself.
  void exit(const std::exception_ptr& exc);

 private:
  enum class State { created, entered, expiring, expired, exited };
  void on_timeout();

  State state_ = State::created;
  std::optional<double> when_;
  Handle handler_;  // a TimerHandle, or a call_soon Handle for a deadline already past
  bool has_handler_ = false;
  TaskRef task_;
  // The task's cancelling() when the scope was entered: cancel requests
  // older than the scope are not the scope's to answer (asyncio 3.11.3+).
  int cancelling_ = 0;
};

/// A Timeout expiring `delay` seconds from now (nullopt: never, until
/// rescheduled). Needs a running loop.
Timeout timeout(std::optional<double> delay);
/// A Timeout expiring at absolute loop time `when` (see EventLoop::time()).
Timeout timeout_at(std::optional<double> when);

/// Run `body` under a deadline `delay` seconds from now, in a Timeout the
/// returned coroutine owns (for when the scope object is not needed after).
/// Raises TimeoutError when the deadline cancels the body.
template <class Body>
Task<detail::body_result_t<Body, Timeout>> timeout(std::optional<double> delay, Body body) {
  Timeout cm = timeout(delay);
  co_return co_await cm.run(std::move(body));
}

/// Like timeout(delay, body) with an absolute deadline on the loop's clock.
template <class Body>
Task<detail::body_result_t<Body, Timeout>> timeout_at(std::optional<double> when, Body body) {
  Timeout cm(when);
  co_return co_await cm.run(std::move(body));
}

template <class Body>
Task<detail::body_result_t<Body, Timeout>> Timeout::run(Body body) && {
  if (state_ != State::created) throw RuntimeError("Timeout has already been entered");
  return timeout_at(when_, std::move(body));
}

template <class Body>
Task<detail::body_result_t<Body, Timeout>> Timeout::run(Body body) & {
  return detail::run_in_scope(*this, std::move(body));
}

}  // namespace aio
