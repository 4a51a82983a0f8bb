// asyncio.Event (CPython 3.11 Lib/asyncio/locks.py). asyncio gives each waiter
// a future and keeps them in a deque; here the waiting tasks park in the Event
// (detail::ParkingLot), with the same wake-up order and the same number of
// trips through the ready queue.
#include "aio/sync/event.hpp"

namespace aio {

void Event::set() {
  if (value_) return;
  value_ = true;
  // asyncio: for fut in self._waiters: if not fut.done(): fut.set_result(True).
  // Waiters already cancelled have left the lot.
  unpark_all();
}

std::string Event::describe() const {
  std::string extra = value_ ? "set" : "unset";
  if (waiters_) extra += ", waiters:" + std::to_string(waiters_);
  return "<Event object at " + detail::address_of(this) + " [" + extra + "]>";
}

namespace detail {

bool EventWaiter::await_ready() const noexcept { return ev_->is_set(); }

void EventWaiter::await_suspend(coro::coroutine_handle<> h) {
  ev_->loop_for_waiter();  // binds the Event to this loop, or refuses another
  TaskCore& task = current_task_or_throw();
  ++ev_->waiters_;
  task.park(h, *ev_, "event");
}

bool EventWaiter::await_resume() {
  TaskCore* current = t_current_task;
  if (!current || !current->take_parked_wait()) return true;  // the flag was set: no suspension
  TaskCore& task = *current;
  // asyncio's `finally: self._waiters.remove(fut)`, before anything raises.
  --ev_->waiters_;
  if (task.take_parked_cancel()) throw CancelledError(task.cancel_message());
  task.throw_if_cancel_requested();
  return true;
}

}  // namespace detail
}  // namespace aio
