#pragma once
/// The browser host: runs an event loop from the JS event loop, never blocking
/// it.
///
/// The page's main thread must stay responsive, so the loop cannot sit in
/// epoll_wait or in run_forever(). Instead the host runs the loop in slices:
/// it runs ready callbacks for a short time (`slice_budget`, 8 ms by default),
/// then hands control back to JS and continues
///   - at once, through a macrotask hop (setImmediate in Node, a
///     MessageChannel message in browsers: never setTimeout(0), which
///     browsers clamp to 4 ms after a few nestings), when callbacks are ready;
///   - with one setTimeout for the earliest timer when only timers remain;
///   - when woken (wake()) by something JS delivered (a fetch settling, a
///     WebSocket message, a call from JS) when nothing is scheduled.
/// Suspended coroutines cost nothing while the page runs: they are resumed
/// by callbacks into wasm (no Asyncify, no JSPI).
///
/// Blocking entry points (EventLoop::run_forever, run_until_complete, aio::run)
/// still work on this host for what finishes without outside events, e.g. a
/// program on the virtual clock: poll() returns at once, like the manual host.
///
/// Threads (a -pthread build, AIO_HAS_THREADS): wake() may come from any
/// thread (call_soon_threadsafe from an executor's worker). It raises an
/// atomic flag, on which a blocking poll() sleeps (a futex), and, while
/// start() drives the loop from some thread's JS event loop, a wake from
/// another thread posts one call to that thread (Emscripten's queue of
/// proxied calls: a postMessage, so the driving thread never blocks waiting
/// for it), which wakes the host there as JS would. Only atomics are touched
/// off the driving thread.
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <utility>

#include "aio/event_loop.hpp"
#include "aio/host.hpp"
#include "aio/task.hpp"

namespace aio::web {

class WebHost final : public Host {
 public:
  WebHost();
  ~WebHost() override;
  WebHost(const WebHost&) = delete;
  WebHost& operator=(const WebHost&) = delete;

  /// While the host drives the loop (start()): returns at once, since I/O
  /// completions arrive as JS callbacks between slices, and those call
  /// wake(). In a blocking run (run_forever() called directly): sleeps for
  /// `timeout` where JS may block (Node, or a worker with SharedArrayBuffer:
  /// Atomics.wait), else returns at once and the loop spins until its timer.
  void poll(EventLoop& loop, double timeout) override;
  /// Something outside the loop scheduled work on it (JS called in, a promise
  /// settled, a worker thread called call_soon_threadsafe): make sure a
  /// slice runs soon. Cheap when one is already due. From another thread it
  /// posts the wake to the host's thread (see the top of this file).
  void wake() noexcept override;
  /// performance.now() (Node and browsers), in seconds.
  double monotonic() const noexcept override;

  /// How long one slice may run callbacks before control goes back to JS.
  double slice_budget() const noexcept { return slice_budget_; }
  void set_slice_budget(double seconds);

  /// How fast virtual time passes while the host drives a virtual-clock loop:
  /// 0 (the default) jumps to each timer at once; otherwise a jump of `dt`
  /// virtual seconds waits dt / speed real seconds first, so a 10-second
  /// program can be watched at 1x or 10x. Ignored on the real clock.
  double virtual_speed() const noexcept { return virtual_speed_; }
  void set_virtual_speed(double speed);

  /// Called after every slice the host runs, once control is about to go
  /// back to JS (e.g. to hand events batched during the slice to JS in one
  /// call). Null: nothing. Must not throw.
  void set_after_slice(std::function<void()> fn) { after_slice_ = std::move(fn); }

  /// Run `loop` (whose host this is) from the JS event loop until it is
  /// stopped; returns at once. `on_stopped` is called from a JS macrotask
  /// when the run ends, with the exception that ended it, if any. The loop
  /// is running (is_running()) from this call until then.
  void start(EventLoop& loop, std::function<void(std::exception_ptr)> on_stopped);
  /// Whether start() is in progress.
  bool driving() const noexcept { return loop_ != nullptr; }

  /// Counters for tests and the playground's statistics.
  struct Stats {
    std::uint64_t slices = 0;  // slices run
    std::uint64_t hops = 0;    // continuations through a macrotask hop
    std::uint64_t timers = 0;  // setTimeout calls for the next timer
    std::uint64_t wakes = 0;   // wake() calls that scheduled a slice
    std::uint64_t blocking_waits = 0;  // polls of a blocking run that slept
  };
  const Stats& stats() const noexcept { return stats_; }

  /// Called by the JS side (hop or timer fired). Not for users.
  void on_js_turn(bool from_timer) noexcept;
  /// Called on the host's thread for a wake() posted from another thread.
  /// Not for users.
  void on_posted_wake() noexcept;

 private:
  void schedule(double wait) noexcept;
  void schedule_hop() noexcept;
  void cancel_timer() noexcept;
  void finish(std::exception_ptr error) noexcept;

  int id_ = 0;  // how JS refers to this host: callbacks outliving it find nothing
  EventLoop* loop_ = nullptr;
  std::function<void(std::exception_ptr)> on_stopped_;
  std::function<void()> after_slice_;
  double slice_budget_ = 0.008;
  double virtual_speed_ = 0;
  bool hop_pending_ = false;
  int timer_id_ = 0;  // JS timer for the next deadline, 0 when none
  Stats stats_;
  // Cross-thread wakes (threads builds). driver_: the pthread_t of the
  // thread whose JS event loop start() drives the loop from, 0 when not
  // driven. wake_flag_ is the futex word a blocking poll() sleeps on: 1 once
  // woken (like an eventfd's count), 0 after poll() consumed it.
  // wake_posted_: a posted wake is on its way to the driver; later ones from
  // other threads need not post again until it has run.
  std::atomic<std::uintptr_t> driver_{0};
  std::atomic<int> wake_flag_{0};
  std::atomic<bool> wake_posted_{false};
};

/// The WebHost of `loop`; RuntimeError when the loop runs on another host.
WebHost& host_of(EventLoop& loop);
/// `host` as a WebHost, or null when it is another kind of host.
WebHost* as_web_host(Host& host) noexcept;

/// Run `loop` from the JS event loop until stop() (asyncio's run_forever,
/// without blocking): returns at once; `on_stopped` runs when the loop stops.
void run_forever(EventLoop& loop, std::function<void(std::exception_ptr)> on_stopped);

/// Run `loop` from the JS event loop until `awaitable` (a Task, Future or
/// unstarted coroutine) is done, as run_until_complete does, without
/// blocking: returns at once. `on_done` receives the future when the loop
/// has stopped after it completed (its result or exception is then
/// available), or the error that ended the run first.
template <class A, class OnDone>
void run_until_complete(EventLoop& loop, A&& awaitable, OnDone on_done) {
  loop.check_closed();
  loop.check_running();  // before wrapping, as EventLoop::run_until_complete
  auto fut = aio::detail::as_future(loop, std::forward<A>(awaitable));
  using Fut = decltype(fut);
  if (&fut.get_loop() != &loop)
    aio::detail::throw_future_of_another_loop("run_until_complete() it on its own loop");
  auto id = fut.add_done_callback([](Fut& f) { f.get_loop().stop(); });
  run_forever(loop, [fut, id, on_done = std::move(on_done)](std::exception_ptr error) mutable {
    fut.remove_done_callback(id);
    if (!error && !fut.done()) error = std::make_exception_ptr(RuntimeError("Event loop stopped before Future completed."));
    on_done(fut, error);
  });
}

}  // namespace aio::web
