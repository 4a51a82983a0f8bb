#pragma once
/// aio::Condition: asyncio.Condition, a condition variable for tasks.
///
/// A task holding the condition's lock waits with wait() or wait_for(pred);
/// another task holding the lock wakes waiters with notify(n) or
/// notify_all(). A woken waiter returns only once it has re-acquired the lock,
/// so it always runs its critical section alone. See
/// runtime/examples/condition.cpp.
#include <cstddef>
#include <memory>
#include <string>
#include <type_traits>

#include "aio/detail/loop_bound.hpp"
#include "aio/sync/guard.hpp"
#include "aio/sync/lock.hpp"
#include "aio/task.hpp"

namespace aio {

/// A condition variable (asyncio.Condition) over a Lock. Keep it (and the
/// lock) alive while tasks wait on it.
class Condition : public detail::LoopBound<Condition> {
 public:
  /// A condition with a lock of its own.
  Condition();
  /// A condition over `lock`, which several conditions may share.
  explicit Condition(Lock& lock);
  Condition(const Condition&) = delete;
  Condition& operator=(const Condition&) = delete;

  /// The underlying lock's locked().
  bool locked() const noexcept { return lock_->locked(); }
  /// The underlying lock's acquire(): suspends while another task holds it.
  Task<bool> acquire() { return lock_->acquire(); }
  /// The underlying lock's release(); RuntimeError "Lock is not acquired."
  void release() { lock_->release(); }
  /// `async with cond:` — acquire the lock and get a guard that releases it.
  [[nodiscard]] Task<ReleaseGuard<Condition>> scoped();

  /// Release the lock, suspend until notified, re-acquire the lock, return
  /// true. Raises RuntimeError "cannot wait on un-acquired lock" if the lock
  /// is not held.
  /// Cancellation: the lock is re-acquired before CancelledError propagates
  /// (a cancellation during that re-acquisition is remembered and raised once
  /// the lock is held), so the caller's `scoped()` guard stays correct.
  Task<bool> wait();

  /// Wait until `predicate()` is truthy and return its last value. Checks it
  /// first, without suspending, then after every wakeup, with the lock held.
  template <class Predicate>
  Task<std::decay_t<std::invoke_result_t<Predicate&>>> wait_for(Predicate predicate) {
    auto result = predicate();
    while (!result) {
      co_await wait();
      result = predicate();
    }
    co_return result;
  }

  /// Wake up to `n` waiters that are still waiting (oldest first); none if
  /// `n` <= 0, as asyncio. Signed, so that a count that went negative does
  /// not wrap around to "everyone". Raises RuntimeError "cannot notify on
  /// un-acquired lock" if the lock is not held.
  /// A woken waiter runs only after the notifier releases the lock.
  void notify(long n = 1);
  /// Wake every waiter; same lock requirement as notify().
  void notify_all() { notify(static_cast<long>(waiters_.size())); }

  /// "<Condition object at 0x... [unlocked, waiters:1]>", like asyncio's repr.
  std::string describe() const;

 private:
  std::unique_ptr<Lock> own_lock_;
  Lock* lock_;
  detail::WaiterList waiters_;
};

}  // namespace aio
