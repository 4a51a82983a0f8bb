#pragma once
/// aio::ReleaseGuard: the C++ form of `async with lock:`.
///
///     {
///       auto guard = co_await lock.scoped();   // await lock.acquire()
///       ...                                    // the critical section
///     }                                        // lock.release(), also when an
///                                              // exception or CancelledError leaves
///
/// Lock, Semaphore, BoundedSemaphore and Condition hand one out from
/// `scoped()`. The guard belongs to the task that acquired; move it to hand
/// the release over to someone else.
#include <exception>
#include <utility>

#include "aio/event_loop.hpp"

namespace aio {

/// Calls `primitive.release()` when destroyed, unless already released or
/// moved from. Movable, not copyable.
template <class Primitive>
class [[nodiscard]] ReleaseGuard {
 public:
  /// A guard that holds nothing.
  ReleaseGuard() noexcept = default;
  /// Takes over one acquisition of `primitive`, which the caller already made.
  explicit ReleaseGuard(Primitive& primitive) noexcept : p_(&primitive) {}
  ReleaseGuard(const ReleaseGuard&) = delete;
  ReleaseGuard& operator=(const ReleaseGuard&) = delete;
  ReleaseGuard(ReleaseGuard&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  ReleaseGuard& operator=(ReleaseGuard&& o) noexcept {
    if (this != &o) {
      release_quietly();
      p_ = std::exchange(o.p_, nullptr);
    }
    return *this;
  }
  ~ReleaseGuard() { release_quietly(); }

  /// Release now, before the end of the scope; errors propagate (RuntimeError
  /// "Lock is not acquired." if someone released it behind the guard's back).
  void release() {
    if (p_) std::exchange(p_, nullptr)->release();
  }
  /// Give up the acquisition without releasing it; returns the primitive.
  Primitive* dismiss() noexcept { return std::exchange(p_, nullptr); }
  /// True while the guard still has something to release.
  bool owns() const noexcept { return p_ != nullptr; }
  explicit operator bool() const noexcept { return owns(); }

 private:
  // A destructor must not throw: a failing release (the primitive was
  // released by hand already) goes to the loop's exception handler, the way
  // asyncio reports errors nobody can catch.
  void release_quietly() noexcept {
    if (!p_) return;
    try {
      std::exchange(p_, nullptr)->release();
    } catch (...) {
      if (EventLoop* loop = try_get_running_loop()) {
        ExceptionContext ctx;
        ctx.message = "ReleaseGuard: release() failed when the guard went out of scope";
        ctx.exception = std::current_exception();
        loop->call_exception_handler(ctx);
      }
    }
  }

  Primitive* p_ = nullptr;
};

}  // namespace aio
