#pragma once
/// Handles to callbacks scheduled on an event loop (asyncio.Handle and
/// asyncio.TimerHandle).
#include <cstddef>
#include <cstdint>

#include "aio/config.hpp"
#include "aio/detail/callback.hpp"
#include "aio/detail/pool.hpp"
#include "aio/detail/ready_queue.hpp"

namespace aio {

class EventLoop;

namespace detail {

// The handle's 8-byte members, aligned like pointers. In wasm32 (4-byte
// pointers) that drops the handle's alignment to 4, and with it 4 bytes of
// tail padding (wasm loads and stores need no alignment; the compiler knows
// these are 4-aligned). Natively they are plain double and uint64_t. (A
// typedef's aligned attribute may lower alignment, in GCC and Clang alike;
// on an alias template Clang ignores it.)
inline constexpr std::size_t kHandleWordAlign = alignof(void*) < 8 ? alignof(void*) : 8;
using HandleTime __attribute__((aligned(kHandleWordAlign))) = double;
using HandleSeq __attribute__((aligned(kHandleWordAlign))) = std::uint64_t;

// The shared state behind a Handle. Reference counted without atomics: a
// handle belongs to its loop's thread (call_soon_threadsafe hands its handle
// over to the loop before anyone else can see it).
class HandleState : public ReadyItem, public Pooled {
 public:
  HandleState(EventLoop* loop, Callback fn, const char* label) noexcept
      : loop(loop), label(label), fn(std::move(fn)) {
    run_ready = &HandleState::run;
  }

  void add_ref() noexcept {
    if (atomic_refs)
      __atomic_add_fetch(&refs, 1, __ATOMIC_RELAXED);
    else
      ++refs;
  }
  void release() noexcept;
  void cancel() noexcept;
  void cancel_quietly() noexcept;

  static void run(ReadyItem* item);

  // Laid out to fit 88 bytes natively (a pool class; call_soon makes one per
  // call) and 52 in wasm32 (a 56-byte dlmalloc chunk; see Callback). A timer's
  // deadline is in TimerHandleState: a million pending call_soon callbacks are
  // 88 MB of fresh memory, and first touches of fresh pages are most of what
  // they cost on the machines we measure on.
  std::uint32_t refs = 1;
  // Made by call_soon_threadsafe: released from two threads. Read by
  // release() on any thread, so not in the bitfield below (bitfields share
  // one memory location, and the loop's thread writes those).
  bool atomic_refs = false;
  // Flags in one byte, read and written on the loop's thread only.
  bool cancelled : 1 = false;
  bool is_timer : 1 = false;
  bool scheduled : 1 = false;  // sits in the loop's timer heap
  bool running : 1 = false;    // fn is executing: keep it alive even if cancelled
  // The loop's sequence number for this handle: ids in traces that are the
  // same on every run and every platform (an address is neither).
  HandleSeq seq = 0;
  EventLoop* loop;
  const char* label;  // what the callback is, for tracing and debug messages
  Callback fn;
};

// A call_later/call_at handle's state: is_timer is set, and release() deletes
// it as this type (the pool needs the real size).
class TimerHandleState final : public HandleState {
 public:
  TimerHandleState(EventLoop* loop, Callback fn, const char* label, double when) noexcept
      : HandleState(loop, std::move(fn), label), when(when) {
    is_timer = true;
  }
  HandleTime when;
};

}  // namespace detail

/// A callback scheduled with `call_soon`. Cancelling it before it runs means
/// it never runs. Copies refer to the same scheduled callback.
class Handle {
 public:
  Handle() noexcept = default;
  explicit Handle(detail::HandleState* state) noexcept : s_(state) {}  // adopts a reference
  Handle(const Handle& o) noexcept : s_(o.s_) {
    if (s_) s_->add_ref();
  }
  Handle(Handle&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Handle& operator=(Handle o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  ~Handle() {
    if (s_) s_->release();
  }

  /// Cancel the callback. Does nothing if it already ran or was cancelled.
  void cancel() noexcept {
    if (s_) s_->cancel();
  }
  bool cancelled() const noexcept { return s_ && s_->cancelled; }
  /// Cancel without a trace event and let go of the handle: for an owner
  /// being destroyed whose callback must not run any more.
  void detach() noexcept {
    if (s_) {
      s_->cancel_quietly();
      s_->release();
      s_ = nullptr;
    }
  }
  AIO_HOT explicit operator bool() const noexcept { return s_ != nullptr; }
  /// The loop the callback is scheduled on. RuntimeError if that loop was
  /// destroyed (the handle outlived it).
  EventLoop& get_loop() const;

 protected:
  detail::HandleState* s_ = nullptr;
};

/// A callback scheduled for a point in time with `call_later` or `call_at`.
class TimerHandle : public Handle {
 public:
  using Handle::Handle;
  /// The absolute time, on the loop's clock (`loop.time()`), at which the
  /// callback is scheduled to run.
  double when() const noexcept { return static_cast<const detail::TimerHandleState*>(s_)->when; }
};

}  // namespace aio
