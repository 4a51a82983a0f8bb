// A line-by-line port of asyncio.Semaphore and BoundedSemaphore as shipped in
// this machine's CPython 3.11 Lib/asyncio/locks.py: _wake_up_next() reserves
// the unit for the waiter it wakes (value -= 1 before set_result).
#include "aio/sync/semaphore.hpp"

#include <algorithm>

namespace aio {

Semaphore::Semaphore(long value) : value_(value) {
  if (value < 0) throw ValueError("Semaphore initial value must be >= 0");
}

bool Semaphore::locked() const noexcept {
  return value_ == 0 ||
         std::any_of(waiters_.begin(), waiters_.end(), [](const Future<>& w) { return !w.cancelled(); });
}

Task<bool> Semaphore::acquire() {
  if (!locked()) {
    --value_;
    co_return true;
  }

  Future<> fut = bound_loop().create_future<void>();
  auto it = waiters_.insert(waiters_.end(), fut);

  try {
    co_await detail::await_as(fut, "semaphore");
  } catch (const CancelledError&) {
    // The waiter leaves the list first (asyncio's inner `finally`), so
    // _wake_up_next() below cannot pick it again.
    waiters_.erase(it);
    // Woken (a unit was reserved for it) and then cancelled before running:
    // return the unit and pass it on.
    if (!fut.cancelled()) {
      ++value_;
      wake_up_next();
    }
    throw;
  }
  waiters_.erase(it);

  // More units may have been released meanwhile than waiters woken.
  if (value_ > 0) wake_up_next();
  co_return true;
}

void Semaphore::release() {
  ++value_;
  wake_up_next();
}

void Semaphore::wake_up_next() {
  for (Future<>& fut : waiters_) {
    if (!fut.done()) {
      --value_;
      fut.set_result();
      return;
    }
  }
}

Task<ReleaseGuard<Semaphore>> Semaphore::scoped() {
  co_await acquire();
  co_return ReleaseGuard<Semaphore>(*this);
}

std::string Semaphore::describe() const {
  std::string extra = locked() ? "locked" : "unlocked, value:" + std::to_string(value_);
  if (!waiters_.empty()) extra += ", waiters:" + std::to_string(waiters_.size());
  return "<Semaphore object at " + detail::address_of(this) + " [" + extra + "]>";
}

BoundedSemaphore::BoundedSemaphore(long value) : Semaphore(value), bound_value_(value) {}

void BoundedSemaphore::release() {
  if (value_ >= bound_value_) throw ValueError("BoundedSemaphore released too many times");
  Semaphore::release();
}

std::string BoundedSemaphore::describe() const {
  std::string s = Semaphore::describe();
  return "<BoundedSemaphore" + s.substr(s.find(' '));
}

}  // namespace aio
