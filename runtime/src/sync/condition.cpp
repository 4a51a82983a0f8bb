// A line-by-line port of asyncio.Condition (CPython 3.11 Lib/asyncio/locks.py).
#include "aio/sync/condition.hpp"

namespace aio {

Condition::Condition() : own_lock_(std::make_unique<Lock>()), lock_(own_lock_.get()) {}
Condition::Condition(Lock& lock) : lock_(&lock) {}

Task<ReleaseGuard<Condition>> Condition::scoped() {
  co_await acquire();
  co_return ReleaseGuard<Condition>(*this);
}

Task<bool> Condition::wait() {
  if (!locked()) throw RuntimeError("cannot wait on un-acquired lock");

  release();
  // asyncio's try/finally: whatever ends the wait, the lock is re-acquired
  // before leaving. C++ cannot co_await inside a handler, so the exception is
  // parked here and rethrown after the re-acquisition.
  std::exception_ptr error;
  try {
    Future<> fut = bound_loop().create_future<void>();
    auto it = waiters_.insert(waiters_.end(), fut);
    try {
      co_await detail::await_as(fut, "condition");
    } catch (...) {
      waiters_.erase(it);
      throw;
    }
    waiters_.erase(it);
  } catch (...) {
    error = std::current_exception();
  }

  // Must reacquire the lock even if the wait was cancelled.
  bool cancelled = false;
  for (;;) {
    try {
      co_await acquire();
      break;
    } catch (const CancelledError&) {
      cancelled = true;
    }
  }
  if (cancelled) throw CancelledError();
  if (error) std::rethrow_exception(error);
  co_return true;
}

void Condition::notify(long n) {
  if (!locked()) throw RuntimeError("cannot notify on un-acquired lock");
  long idx = 0;
  for (Future<>& fut : waiters_) {
    if (idx >= n) break;
    if (!fut.done()) {
      ++idx;
      fut.set_result();
    }
  }
}

std::string Condition::describe() const {
  std::string extra = locked() ? "locked" : "unlocked";
  if (!waiters_.empty()) extra += ", waiters:" + std::to_string(waiters_.size());
  return "<Condition object at " + detail::address_of(this) + " [" + extra + "]>";
}

}  // namespace aio
