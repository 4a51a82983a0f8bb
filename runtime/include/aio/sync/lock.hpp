#pragma once
/// aio::Lock: asyncio.Lock, a mutual-exclusion lock for tasks of one loop.
///
/// Not owned by a task: any task may release it. Waiters acquire it in the
/// order they called acquire() (FIFO); a waiter cancelled while waiting gives
/// its turn to the next one. See runtime/examples/lock.cpp.
#include <string>

#include "aio/detail/loop_bound.hpp"
#include "aio/sync/guard.hpp"
#include "aio/task.hpp"

namespace aio {

/// A primitive lock (asyncio.Lock). Keep it alive while tasks wait on it.
class Lock : public detail::LoopBound<Lock> {
 public:
  /// An unlocked lock; it binds to the loop that first has to wait on it.
  Lock() = default;
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

  /// True if the lock is held.
  bool locked() const noexcept { return locked_; }

  /// Acquire the lock and return true.
  ///
  /// Returns at once, without suspending, if the lock is free and nobody
  /// waits for it. Otherwise suspends until release() hands the lock to this
  /// task, first come first served.
  /// Cancellation: raises CancelledError and the lock is not acquired; if the
  /// lock had just been handed to this waiter, it goes to the next one.
  Task<bool> acquire();

  /// Release the lock and wake the first waiter, if any. Raises RuntimeError
  /// "Lock is not acquired." if the lock is not held.
  void release();

  /// `async with lock:` — acquire, and get a guard that releases on scope
  /// exit (see guard.hpp). Suspends and can be cancelled as acquire().
  [[nodiscard]] Task<ReleaseGuard<Lock>> scoped();

  /// "<Lock object at 0x... [locked, waiters:2]>", like asyncio's repr.
  std::string describe() const;

 private:
  void wake_up_first();

  detail::WaiterList waiters_;
  bool locked_ = false;
};

}  // namespace aio
