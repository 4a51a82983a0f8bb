#pragma once
/// aio::Semaphore and aio::BoundedSemaphore: asyncio's counting semaphores.
///
/// acquire() takes one unit of the counter, suspending while it is zero;
/// release() gives one back and lets the longest-waiting task in (FIFO). See
/// runtime/examples/semaphore.cpp.
#include <string>

#include "aio/detail/loop_bound.hpp"
#include "aio/sync/guard.hpp"
#include "aio/task.hpp"

namespace aio {

/// A counting semaphore (asyncio.Semaphore). Keep it alive while tasks wait.
class Semaphore : public detail::LoopBound<Semaphore> {
 public:
  /// A semaphore whose counter starts at `value`; ValueError "Semaphore
  /// initial value must be >= 0" if it is negative.
  explicit Semaphore(long value = 1);
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;
  virtual ~Semaphore() = default;

  /// True if acquire() would suspend: the counter is zero, or tasks that
  /// were not cancelled are already waiting (they go first).
  bool locked() const noexcept;

  /// Take one unit and return true.
  ///
  /// Returns at once, without suspending, unless locked(); otherwise suspends
  /// until a release() picks this waiter, first come first served.
  /// Cancellation: raises CancelledError with nothing taken; a unit that had
  /// just been reserved for this waiter goes to the next one.
  Task<bool> acquire();

  /// Give one unit back and wake the first waiter still waiting, if any.
  virtual void release();

  /// `async with sem:` — acquire, and get a guard that releases on scope exit.
  [[nodiscard]] Task<ReleaseGuard<Semaphore>> scoped();

  /// The counter (asyncio's `_value`): units free right now.
  long value() const noexcept { return value_; }
  /// "<Semaphore object at 0x... [unlocked, value:2]>", like asyncio's repr.
  virtual std::string describe() const;

 protected:
  void wake_up_next();

  long value_;
  detail::WaiterList waiters_;
};

/// A semaphore that refuses to be released above its initial value
/// (asyncio.BoundedSemaphore): catches a release() without an acquire().
class BoundedSemaphore : public Semaphore {
 public:
  explicit BoundedSemaphore(long value = 1);
  /// As Semaphore::release(), but raises ValueError "BoundedSemaphore released
  /// too many times" if the counter is already at its initial value.
  void release() override;
  std::string describe() const override;

 private:
  long bound_value_;
};

}  // namespace aio
