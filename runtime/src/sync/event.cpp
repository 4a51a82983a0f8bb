// asyncio.Event (CPython 3.11 Lib/asyncio/locks.py), with the deque of waiter
// futures replaced by an intrusive list threaded through the awaiters.
#include "aio/sync/event.hpp"

namespace aio {

Event::~Event() {
  for (detail::EventWaiter* w = head_; w;) {
    detail::EventWaiter* next = w->next_;
    w->ev_ = nullptr;
    w->linked_ = false;
    w->prev_ = w->next_ = nullptr;
    w = next;
  }
}

void Event::set() {
  if (value_) return;
  value_ = true;
  // set_result only schedules the waiting tasks, so nothing unlinks itself
  // while this walks the list. Done futures belong to waiters that were
  // cancelled or already woken and have not run yet.
  for (detail::EventWaiter* w = head_; w; w = w->next_)
    if (!w->fut_->done()) w->fut_->finish_with_result();
}

void Event::link(detail::EventWaiter* w) noexcept {
  w->prev_ = tail_;
  w->next_ = nullptr;
  if (tail_)
    tail_->next_ = w;
  else
    head_ = w;
  tail_ = w;
  w->linked_ = true;
  ++count_;
}

void Event::unlink(detail::EventWaiter* w) noexcept {
  if (!w->linked_) return;
  (w->prev_ ? w->prev_->next_ : head_) = w->next_;
  (w->next_ ? w->next_->prev_ : tail_) = w->prev_;
  w->prev_ = w->next_ = nullptr;
  w->linked_ = false;
  --count_;
}

std::string Event::describe() const {
  std::string extra = value_ ? "set" : "unset";
  if (count_) extra += ", waiters:" + std::to_string(count_);
  return "<Event object at " + detail::address_of(this) + " [" + extra + "]>";
}

namespace detail {

EventWaiter::~EventWaiter() {
  // Reached while still linked only when the waiting coroutine is destroyed
  // while suspended (its loop closed under it).
  if (linked_ && ev_) ev_->unlink(this);
  if (fut_) fut_->release();
}

bool EventWaiter::await_ready() const noexcept { return ev_->is_set(); }

void EventWaiter::await_suspend(coro::coroutine_handle<> h) {
  // asyncio: fut = self._get_loop().create_future(); self._waiters.append(fut)
  EventLoop& loop = ev_->loop_for_waiter();
  task_ = &current_task_or_throw();
  fut_ = new FutureState<void>(&loop);
  ev_->link(this);
  task_->wait_on(h, *fut_, "event");
}

bool EventWaiter::await_resume() {
  if (!fut_) return true;  // the flag was set: no suspension
  // asyncio's `finally: self._waiters.remove(fut)`, before anything raises.
  if (ev_) ev_->unlink(this);
  task_->throw_if_cancel_requested(*fut_);
  fut_->check_result();
  return true;
}

}  // namespace detail
}  // namespace aio
