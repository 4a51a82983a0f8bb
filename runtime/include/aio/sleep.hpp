#pragma once
/// aio::sleep: suspend the current task for a while (asyncio.sleep).
#include <optional>
#include <type_traits>
#include <utility>

#include "aio/task.hpp"

namespace aio {
namespace detail {

// Completes a sleep's future when its timer fires, unless it was cancelled
// (asyncio's futures._set_result_unless_cancelled). Holds a reference.
struct WakeSleeper {
  FutureState<void>* fut;
  explicit WakeSleeper(FutureState<void>* f) noexcept : fut(f) { fut->add_ref(); }
  WakeSleeper(WakeSleeper&& o) noexcept : fut(std::exchange(o.fut, nullptr)) {}
  ~WakeSleeper() {
    if (fut) fut->release();
  }
  void operator()() const {
    if (!fut->done()) fut->finish_with_result();
  }
};

template <class T>
class SleepAwaiter {
 public:
  SleepAwaiter(double delay, T result) : delay_(delay), result_(std::move(result)) {}
  SleepAwaiter(SleepAwaiter&& o) noexcept
      : delay_(o.delay_), result_(std::move(o.result_)), fut_(std::exchange(o.fut_, nullptr)) {}
  ~SleepAwaiter() {
    if (fut_) fut_->release();
  }

  bool await_ready() const noexcept { return false; }
  void await_suspend(coro::coroutine_handle<> h) {
    task_ = &current_task_or_throw();
    if (delay_ <= 0) {
      // A bare yield: the task's next step is simply scheduled (asyncio's __sleep0).
      task_->suspend_at(h, "sleep");
      task_->schedule_step();
      return;
    }
    EventLoop& loop = *task_->loop();
    fut_ = new FutureState<void>(&loop);
    timer_ = loop.call_later(delay_, WakeSleeper(fut_), "sleep");
    task_->wait_on(h, *fut_, "sleep");
  }
  T await_resume() {
    if (!fut_) {
      task_->throw_if_cancel_requested();
      return std::move(result_);
    }
    struct CancelTimer {  // asyncio: finally: h.cancel()
      TimerHandle& timer;
      ~CancelTimer() { timer.cancel(); }
    } cancel_timer{timer_};
    task_->throw_if_cancel_requested(*fut_);
    fut_->check_result();
    return std::move(result_);
  }

 private:
  double delay_;
  T result_;
  FutureState<void>* fut_ = nullptr;
  TaskCore* task_ = nullptr;
  TimerHandle timer_;
};

struct NoResult {};

}  // namespace detail

/// Suspend the current task for `delay` seconds, then return `result`.
/// `sleep(0)` yields to the other ready tasks for one loop iteration.
/// Cancellation: raises CancelledError at once and cancels the timer.
template <class T>
[[nodiscard]] detail::SleepAwaiter<T> sleep(double delay, T result) {
  return {delay, std::move(result)};
}

/// Suspend the current task for `delay` seconds.
[[nodiscard]] inline auto sleep(double delay) {
  struct Void : detail::SleepAwaiter<detail::NoResult> {
    using detail::SleepAwaiter<detail::NoResult>::SleepAwaiter;
    void await_resume() { detail::SleepAwaiter<detail::NoResult>::await_resume(); }
  };
  return Void{delay, detail::NoResult{}};
}

}  // namespace aio
