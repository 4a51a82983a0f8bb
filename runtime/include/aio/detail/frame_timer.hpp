#pragma once
// A timer that lives in the coroutine frame of the one waiting for it
// (sleep's): no allocation and no reference count per timer, where a
// TimerHandle is a heap object shared with whoever holds the handle.
//
// It must never outlive its place in the loop, and the loop's heap keeps
// cancelled timers until they reach the top (asyncio's lazy deletion, which
// decides the order of timers with equal deadlines, so it is kept). So the
// heap refers to a frame timer through a slot the loop owns, and a frame timer
// that goes away while still in the heap empties its slot: the entry stays,
// as a cancelled one. The owner must cancel() before release(), as sleep's
// `finally: h.cancel()` does, and release() before the frame is destroyed.
#include <cstdint>

#include "aio/detail/ready_queue.hpp"
#include "aio/handle.hpp"

namespace aio {
class EventLoop;
}

namespace aio::detail {

struct FrameTimer;

// What a kind of frame timer is called (traces, debug output) and does when
// it fires. One per kind, static, so a timer holds one pointer for both.
struct FrameTimerKind {
  const char* label;
  void (*fire)(FrameTimer&) noexcept;
};

struct FrameTimer : ReadyItem {
  explicit FrameTimer(const FrameTimerKind& kind) noexcept : kind(&kind) {}
  FrameTimer(const FrameTimer&) = delete;
  FrameTimer& operator=(const FrameTimer&) = delete;
  ~FrameTimer() { release(); }

  /// Put the timer in `loop`'s heap (a TimerHandle's call_at): traced and
  /// numbered like one. RuntimeError on a closed loop.
  void schedule(EventLoop& loop, double when);
  /// TimerHandle.cancel(); quietly: without a trace event (an owner being
  /// destroyed). Touches the loop only while the timer is in its heap or
  /// the cancel is traced, so it is safe after the loop closed.
  void cancel(bool quietly = false) noexcept;
  /// Let go of the loop's references to this timer: its heap slot (the entry
  /// stays, as a cancelled one) and, if it fired and has not run yet, its
  /// place in the ready queue.
  void release() noexcept {
    if (scheduled || queued) [[unlikely]]
      release_slow();
  }

  static constexpr std::uint32_t kMaxSlots = 1u << 29;

  EventLoop* loop = nullptr;
  const FrameTimerKind* kind;
  HandleSeq seq = 0;  // the loop's handle number (trace ids), as a TimerHandle's
  // One word (it is in the frame of every coroutine that sleeps).
  std::uint32_t slot : 29 = 0;     // the loop's slot for it, while scheduled
  std::uint32_t cancelled : 1 = 0;
  std::uint32_t scheduled : 1 = 0;  // in the loop's timer heap
  std::uint32_t queued : 1 = 0;     // fired: in the ready queue, not run yet

 private:
  void release_slow() noexcept;
};

}  // namespace aio::detail
