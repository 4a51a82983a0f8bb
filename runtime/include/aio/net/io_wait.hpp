#pragma once
// Parking a task until a file descriptor is ready, without a future: the
// task waits in a WaitLot (a detail::ParkingLot) that the fd's watcher wakes.
// Cancelling the task takes it out of the lot. Used by aio::net.
#include "aio/errors.hpp"
#include "aio/task.hpp"

namespace aio::net::detail {

class WaitLot : public aio::detail::ParkingLot {
 public:
  /// Wake every task waiting here (each resumes on a later iteration).
  void wake() noexcept { unpark_all(); }
  bool waiting() const noexcept { return has_parked(); }
  ~WaitLot() { unpark_all(); }  // waiters retry and see the fd closed
};

/// `co_await IoWait{lot, "what"}`: suspend the current task in `lot`.
struct IoWait {
  WaitLot* lot;
  const char* what;
  bool await_ready() const noexcept { return false; }
  void await_suspend(coro::coroutine_handle<> h) { aio::detail::current_task_or_throw().park(h, *lot, what); }
  void await_resume() {
    auto& task = *aio::detail::t_current_task;
    if (task.take_parked_cancel()) throw CancelledError(task.cancel_message());
    task.throw_if_cancel_requested();
  }
};

}  // namespace aio::net::detail
