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

// What `co_await event.wait()` suspends on. A hand-written awaiter rather than
// a coroutine, because thousands of tasks may park on one Event: a waiter
// costs one small future (asyncio creates one per waiter too) and no
// coroutine frame or container node, since the awaiter itself, which lives in
// the waiting coroutine's frame, is the link in the event's waiter list.
class EventWaiter {
 public:
  explicit EventWaiter(Event& ev) noexcept : ev_(&ev) {}
  // The coroutine machinery may move the awaiter into the frame before
  // co_await starts; it never moves once linked into the event's list.
  EventWaiter(EventWaiter&& o) noexcept : ev_(o.ev_) {}
  EventWaiter& operator=(EventWaiter&&) = delete;
  ~EventWaiter();

  bool await_ready() const noexcept;
  void await_suspend(coro::coroutine_handle<> h);
  bool await_resume();

 private:
  friend class aio::Event;
  Event* ev_;  // null once unlinked from a destroyed Event
  EventWaiter* prev_ = nullptr;
  EventWaiter* next_ = nullptr;
  bool linked_ = false;
  FutureState<void>* fut_ = nullptr;  // asyncio's `fut`; null when no wait was needed
  TaskCore* task_ = nullptr;
};

}  // namespace detail

/// An event flag (asyncio.Event), initially false. Keep it alive while tasks
/// wait on it.
class Event : public detail::LoopBound<Event> {
 public:
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  /// Waiters still linked (possible only if their loop was torn down with
  /// them suspended) are detached, not woken.
  ~Event();

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
  std::size_t waiter_count() const noexcept { return count_; }
  /// "<Event object at 0x... [unset, waiters:3]>", like asyncio's repr.
  std::string describe() const;

 private:
  friend class detail::EventWaiter;
  void link(detail::EventWaiter* w) noexcept;
  void unlink(detail::EventWaiter* w) noexcept;
  EventLoop& loop_for_waiter() { return bound_loop(); }

  detail::EventWaiter* head_ = nullptr;
  detail::EventWaiter* tail_ = nullptr;
  std::size_t count_ = 0;
  bool value_ = false;
};

}  // namespace aio
