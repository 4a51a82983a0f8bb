// A line-by-line port of asyncio.Lock (CPython 3.11 Lib/asyncio/locks.py).
#include "aio/sync/lock.hpp"

#include <algorithm>

namespace aio {

Task<bool> Lock::acquire() {
  // The fast path also ignores waiters that were cancelled but have not run
  // yet to remove themselves: they will never take the lock.
  if (!locked_ && std::all_of(waiters_.begin(), waiters_.end(), [](const Future<>& w) { return w.cancelled(); })) {
    locked_ = true;
    co_return true;
  }

  Future<> fut = bound_loop().create_future<void>();
  auto it = waiters_.insert(waiters_.end(), fut);

  try {
    co_await detail::await_as(fut, "lock");
  } catch (const CancelledError&) {
    // asyncio removes the waiter in a `finally` that runs before this
    // handler, so _wake_up_first() cannot pick this (cancelled) waiter.
    waiters_.erase(it);
    // A waiter that was handed the lock (its future done) but got cancelled
    // before running must pass the lock on, or everyone would wait forever.
    if (!locked_) wake_up_first();
    throw;
  }
  waiters_.erase(it);

  locked_ = true;
  co_return true;
}

void Lock::release() {
  if (locked_) {
    locked_ = false;
    wake_up_first();
  } else {
    throw RuntimeError("Lock is not acquired.");
  }
}

void Lock::wake_up_first() {
  if (waiters_.empty()) return;
  Future<>& fut = waiters_.front();
  // A done future means its waiter will wake up later and either take the
  // lock or, if it was cancelled and the lock is free, come back here and
  // wake the next waiter.
  if (!fut.done()) fut.set_result();
}

Task<ReleaseGuard<Lock>> Lock::scoped() {
  co_await acquire();
  co_return ReleaseGuard<Lock>(*this);
}

std::string Lock::describe() const {
  std::string extra = locked_ ? "locked" : "unlocked";
  if (!waiters_.empty()) extra += ", waiters:" + std::to_string(waiters_.size());
  return "<Lock object at " + detail::address_of(this) + " [" + extra + "]>";
}

}  // namespace aio
