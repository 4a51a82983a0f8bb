#pragma once
/// aio::sleep: suspend the current task for a while (asyncio.sleep).
#include <optional>
#include <type_traits>
#include <utility>

#include "aio/detail/frame_timer.hpp"
#include "aio/task.hpp"

namespace aio {
namespace detail {

// Where a sleeping task waits: a ParkingLot of its own and a timer, both
// inside the sleep's awaiter (so in the task's frame). asyncio's sleep creates
// a future and a TimerHandle, and the timer completes the future, which
// schedules the task's wakeup; here the timer wakes the parked task directly,
// at the same place in the ready queue, and cancelling the task takes it out
// of the lot and wakes it, as cancelling the future would. Nothing is
// allocated per sleep (the frame timer's slot in the loop is reused).
class SleepLot final : public ParkingLot {
 public:
  void wake() noexcept { unpark_all(); }
};

struct Asleep final : FrameTimer {
  Asleep() noexcept : FrameTimer(kKind) {}
  // The timer's action (asyncio's futures._set_result_unless_cancelled): a
  // task cancelled meanwhile has already left the lot, and waking an empty
  // lot does nothing.
  static void wake(FrameTimer& t) noexcept { static_cast<Asleep&>(t).lot.wake(); }
  static constexpr FrameTimerKind kKind{"sleep", &Asleep::wake};
  SleepLot lot;
};

struct NoResult {};

// sleep(delay) is SleepAwaiter<void>; sleep(delay, result) SleepAwaiter<T>.
// (static_cast rather than std::move here: see AIO_HOT.)
template <class T>
class SleepAwaiter {
  using Stored = std::conditional_t<std::is_void_v<T>, NoResult, T>;

 public:
  AIO_HOT SleepAwaiter(double delay, Stored result) : result_(static_cast<Stored&&>(result)), delay_(delay) {}
  // Moved only before it is awaited (never asleep).
  AIO_HOT SleepAwaiter(SleepAwaiter&& o) noexcept : result_(static_cast<Stored&&>(o.result_)), delay_(o.delay_) {}
  // The sleep(0) path (a bare yield, the hot path of cooperative code) is
  // inline and touches neither timer nor lot; the timed path is out of line.
  AIO_HOT ~SleepAwaiter() {
    if (asleep_) [[unlikely]]
      abandon();
  }

  bool await_ready() const noexcept { return false; }
  AIO_HOT void await_suspend(coro::coroutine_handle<> h) {
    TaskCore& task = current_task_or_throw();
    if (delay_ <= 0) [[likely]] {
      // A bare yield: the task's next step is simply scheduled (asyncio's __sleep0).
      task.suspend_at(h, "sleep");
      task.schedule_step();
      return;
    }
    start_timer(task, h);
  }
  AIO_HOT T await_resume() {
    TaskCore& task = *t_current_task;
    if (!asleep_) [[likely]] {
      task.throw_if_cancel_requested();
      return take_result();
    }
    return resume_from_timer(task);
  }

 private:
  // Destroyed while asleep (the loop closed with the task pending): the
  // timer points into this frame, so it must never run.
  [[gnu::noinline]] void abandon() noexcept {
    state_.~Asleep();  // releases the timer (cancelled quietly if still in the heap)
    asleep_ = false;
  }
  [[gnu::noinline]] void start_timer(TaskCore& task, coro::coroutine_handle<> h) {
    EventLoop& loop = *task.loop();
    double when = loop.time() + delay_;  // call_later's (delay_ ends here: state_ takes its place)
    ::new (static_cast<void*>(&state_)) Asleep();
    try {
      state_.schedule(loop, when);
    } catch (...) {
      state_.~Asleep();
      throw;
    }
    asleep_ = true;
    task.park(h, state_.lot, "sleep");
  }
  [[gnu::noinline]] T resume_from_timer(TaskCore& task) {
    task.take_parked_wait();
    struct CancelTimer {  // asyncio: finally: h.cancel()
      SleepAwaiter& a;
      ~CancelTimer() {
        a.state_.cancel();
        a.state_.~Asleep();  // the lot is empty: the task was woken or cancelled out of it
        a.asleep_ = false;
      }
    } cancel_timer{*this};
    // A cancel() after the timer woke the task finds no wait to cancel and
    // sets must_cancel (asyncio: the future is done, so __step raises a fresh
    // CancelledError). A second cancel() of a wait already cancelled leaves
    // nothing behind (TaskCore::cancel): the first one's error is raised.
    bool parked_cancel = task.take_parked_cancel();
    task.throw_if_cancel_requested();
    if (parked_cancel) throw CancelledError(task.cancel_message());
    return take_result();
  }
  AIO_HOT T take_result() noexcept(std::is_void_v<T> || std::is_nothrow_move_constructible_v<T>) {
    if constexpr (!std::is_void_v<T>) return static_cast<T&&>(result_);
  }

  Stored result_;
  bool asleep_ = false;
  // The delay until the timer starts; then the timer and the lot, which
  // exist exactly while asleep_ is set (sleep(0), the hot path of a yield,
  // never makes them). One place for both keeps every frame that sleeps
  // smaller. (HandleTime: 4-aligned in wasm32, as the timer, so no padding.)
  union {
    HandleTime delay_;
    Asleep state_;
  };
};

}  // namespace detail

/// Suspend the current task for `delay` seconds, then return `result`.
/// `sleep(0)` yields to the other ready tasks for one loop iteration.
/// Cancellation: raises CancelledError at once and cancels the timer.
template <class T>
[[nodiscard]] AIO_HOT detail::SleepAwaiter<T> sleep(double delay, T result) {
  return {delay, std::move(result)};
}

/// Suspend the current task for `delay` seconds.
[[nodiscard]] AIO_HOT detail::SleepAwaiter<void> sleep(double delay) { return {delay, detail::NoResult{}}; }

}  // namespace aio
