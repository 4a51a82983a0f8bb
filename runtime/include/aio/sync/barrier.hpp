#pragma once
/// aio::Barrier: asyncio.Barrier (Python 3.11), a meeting point for a fixed
/// number of tasks.
///
/// Each of `parties` tasks calls wait(); the last one to arrive releases them
/// all, and each gets a distinct index in [0, parties). The barrier then
/// refills for the next round. abort() breaks it; reset() breaks the current
/// round and refills. See runtime/examples/barrier.cpp.
#include <string>

#include "aio/sync/condition.hpp"
#include "aio/task.hpp"

namespace aio {

/// A cyclic barrier (asyncio.Barrier). Keep it alive while tasks wait on it.
class Barrier {
 public:
  /// A barrier for `parties` tasks; ValueError "parties must be > 0" if less.
  explicit Barrier(int parties);
  Barrier(const Barrier&) = delete;
  Barrier& operator=(const Barrier&) = delete;

  /// Wait until `parties` tasks are waiting, then return this task's index
  /// (the arrival order, 0-based; the last arrival releases the others).
  /// Suspends first while the previous round drains or a reset finishes.
  /// Raises BrokenBarrierError "Barrier aborted" if the barrier is broken, or
  /// "Abort or reset of barrier" if that happens while waiting.
  /// Cancellation: CancelledError propagates and the task leaves the barrier
  /// (it no longer counts as waiting).
  Task<int> wait();
  /// Return to the empty, filling state; tasks waiting now get
  /// BrokenBarrierError. Suspends only to take the internal lock.
  Task<void> reset();
  /// Break the barrier: waiting and future wait() calls raise
  /// BrokenBarrierError until reset(). Suspends only to take the internal lock.
  Task<void> abort();

  /// The number of tasks needed to trip the barrier.
  int parties() const noexcept { return parties_; }
  /// Tasks waiting in the current filling round (0 while draining).
  int n_waiting() const noexcept { return state_ == State::filling ? count_ : 0; }
  /// True after abort(), until reset().
  bool broken() const noexcept { return state_ == State::broken; }
  /// "<Barrier object at 0x... [filling, waiters:1/3]>", like asyncio's repr.
  std::string describe() const;

 private:
  enum class State { filling, draining, resetting, broken };

  Task<void> block();
  void release_all();
  Task<void> wait_released();
  void exit_round();

  Condition cond_;  // notify_all on every state change
  int parties_;
  State state_ = State::filling;
  int count_ = 0;  // tasks inside wait()
};

}  // namespace aio
