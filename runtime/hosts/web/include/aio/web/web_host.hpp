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
  /// settled): make sure a slice runs soon. Cheap when one is already due.
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

 private:
  void schedule(double wait) noexcept;
  void schedule_hop() noexcept;
  void cancel_timer() noexcept;
  void finish(std::exception_ptr error) noexcept;

  int id_;  // how JS refers to this host: callbacks outliving it find nothing
  EventLoop* loop_ = nullptr;
  std::function<void(std::exception_ptr)> on_stopped_;
  std::function<void()> after_slice_;
  double slice_budget_ = 0.008;
  double virtual_speed_ = 0;
  bool hop_pending_ = false;
  int timer_id_ = 0;  // JS timer for the next deadline, 0 when none
  Stats stats_;
};

/// The WebHost of `loop`; RuntimeError when the loop runs on another host.
WebHost& host_of(EventLoop& loop);

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
  auto fut = aio::detail::as_future(loop, std::forward<A>(awaitable));
  using Fut = decltype(fut);
  if (&fut.get_loop() != &loop)
    throw RuntimeError("run_until_complete: the future belongs to another event loop; run it on that loop");
  auto id = fut.add_done_callback([](Fut& f) { f.get_loop().stop(); });
  run_forever(loop, [fut, id, on_done = std::move(on_done)](std::exception_ptr error) mutable {
    fut.remove_done_callback(id);
    if (!error && !fut.done()) error = std::make_exception_ptr(RuntimeError("Event loop stopped before Future completed."));
    on_done(fut, error);
  });
}

}  // namespace aio::web
