#pragma once
/// aio::Event: asyncio.Event, a flag tasks can wait for.
///
/// set() wakes every task waiting at that moment; clear() makes later wait()
/// calls block again. See runtime/examples/event.cpp.
#include <cstddef>
#include <string>

#include "aio/detail/loop_bound.hpp"
#include "aio/task.hpp"

namespace aio {

class Event;

namespace detail {

// What `co_await event.wait()` suspends on. A hand-written awaiter rather
// than a coroutine, and without a future per waiter (asyncio creates one):
// the waiting task parks in the Event itself (detail::ParkingLot), so a
// suspended waiter costs 16 bytes in its own frame and nothing else. 100,000
// tasks can wait on one Event.
class EventWaiter {
 public:
  explicit EventWaiter(Event& ev) noexcept : ev_(&ev) {}
  EventWaiter(EventWaiter&& o) noexcept : ev_(o.ev_) {}
  EventWaiter& operator=(EventWaiter&&) = delete;

  bool await_ready() const noexcept;
  void await_suspend(coro::coroutine_handle<> h);
  bool await_resume();

 private:
  // One pointer and nothing else: it sits in the waiting coroutine's frame.
  // Whether the wait suspended is the task's to know
  // (TaskCore::take_parked_wait).
  Event* ev_;
};

}  // namespace detail

/// An event flag (asyncio.Event), initially false. Keep it alive while tasks
/// wait on it.
class Event final : public detail::LoopBound<Event>, private detail::CountingLot {
 public:
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  /// Tasks still waiting (possible only if their loop was torn down with
  /// them suspended) are detached, not woken.
  ~Event() = default;

  /// True if the flag is set.
  bool is_set() const noexcept { return value_; }
  /// Set the flag and wake every task waiting now (each one a call_soon
  /// later, in the order they started waiting). No-op if already set.
  void set();
  /// Reset the flag: later wait() calls block until the next set(). Tasks
  /// already woken by a set() still return true.
  void clear() noexcept { value_ = false; }

  /// `co_await ev.wait()`: returns true at once, without suspending, if the
  /// flag is set; otherwise suspends until set() is called.
  /// Cancellation: raises CancelledError and leaves the waiter list.
  [[nodiscard]] detail::EventWaiter wait() noexcept { return detail::EventWaiter(*this); }

  /// Number of tasks currently waiting (asyncio: len(ev._waiters)).
  std::size_t waiter_count() const noexcept { return waiters_; }
  /// "<Event object at 0x... [unset, waiters:3]>", like asyncio's repr.
  std::string describe() const;

 private:
  friend class detail::EventWaiter;
  EventLoop& loop_for_waiter() { return bound_loop(); }

  // asyncio's len(self._waiters) is the lot's waiters_: a woken or cancelled
  // waiter counts until it has run, as its future stays in the deque until
  // its `finally`.
  bool value_ = false;
};

}  // namespace aio
