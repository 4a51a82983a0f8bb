#include "aio/web/web_host.hpp"

#include <emscripten.h>

#include "aio/config.hpp"
#if AIO_HAS_THREADS
#include <emscripten/threading.h>
#include <pthread.h>

#include <climits>
#include <mutex>
#endif

#include <cmath>

#include "id_registry.hpp"

namespace aio::web {
namespace {

// JS holds hosts by number, not by pointer: a hop or timer that fires after
// its loop (and host) were destroyed finds no host and does nothing.
detail::IdRegistry<WebHost>& hosts() {
  static detail::IdRegistry<WebHost> registry;
  return registry;
}
#if AIO_HAS_THREADS
// Loops (and their hosts) may be made on any thread.
std::mutex g_hosts_mutex;
#define AIO_HOSTS_LOCK std::lock_guard hosts_lock(g_hosts_mutex)
#else
#define AIO_HOSTS_LOCK
#endif

WebHost* find_host(int id) {
  AIO_HOSTS_LOCK;
  return hosts().find(id);
}

}  // namespace
}  // namespace aio::web

extern "C" {
// Entry points for the JS side below (kept exported by EMSCRIPTEN_KEEPALIVE).
EMSCRIPTEN_KEEPALIVE void aio_web_host_turn(int id, int from_timer) {
  if (auto* host = aio::web::find_host(id)) host->on_js_turn(from_timer != 0);
}
#if AIO_HAS_THREADS
// A wake() posted from another thread, run on the host's thread.
EMSCRIPTEN_KEEPALIVE void aio_web_host_posted_wake(int id) {
  if (auto* host = aio::web::find_host(id)) host->on_posted_wake();
}
#endif
}

// The macrotask hop: setImmediate where it exists (Node), else a
// MessageChannel, whose messages are not clamped like nested setTimeout(0)
// calls and, unlike microtasks, let rendering and input run in between.
EM_JS(void, aio_web_hop, (int id), {
  var hop = Module.__aioHop;
  if (!hop) {
    if (typeof setImmediate === 'function') {
      hop = function(f) { setImmediate(f); };
    } else {
      var channel = new MessageChannel();
      var queue = [];
      channel.port1.onmessage = function() { queue.shift()(); };
      hop = function(f) { queue.push(f); channel.port2.postMessage(0); };
    }
    Module.__aioHop = hop;
  }
  hop(function() { _aio_web_host_turn(id, 0); });
});

// setTimeout returns a number in browsers and an object in Node: keep it in
// a table and give C++ a number.
EM_JS(int, aio_web_set_timer, (int id, double ms), {
  var timers = Module.__aioTimers || (Module.__aioTimers = {next: 1, live: new Map()});
  var key = timers.next++;
  timers.live.set(key, setTimeout(function() {
    timers.live.delete(key);
    _aio_web_host_turn(id, 1);
  }, ms));
  return key;
});

EM_JS(void, aio_web_clear_timer, (int key), {
  var timers = Module.__aioTimers;
  if (timers && timers.live.has(key)) {
    clearTimeout(timers.live.get(key));
    timers.live.delete(key);
  }
});

// Whether this JS thread may block: Node's main thread and workers can
// Atomics.wait; a browser's main thread cannot (it throws).
EM_JS(int, aio_web_can_block, (), {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return 0;
  if (typeof process === 'object' && process.versions && process.versions.node) return 1;
  return typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope ? 1 : 0;
});

EM_JS(void, aio_web_block, (double ms), {
  var cell = Module.__aioSleepCell || (Module.__aioSleepCell = new Int32Array(new SharedArrayBuffer(4)));
  Atomics.wait(cell, 0, 0, ms);
});

namespace aio::web {

WebHost::WebHost() {
  AIO_HOSTS_LOCK;
  id_ = hosts().add(this);
}

WebHost::~WebHost() {
  cancel_timer();
  AIO_HOSTS_LOCK;
  hosts().remove(id_);
}

// The WebAssembly build has no RTTI, so no dynamic_cast (RTTI's type names
// cost the npm package 1.8 kB gzipped): a Host is a WebHost if it is one of
// the registered hosts.
WebHost* as_web_host(Host& host) noexcept {
  AIO_HOSTS_LOCK;
  return hosts().find_if([&](WebHost* h) { return static_cast<Host*>(h) == &host; });
}

void WebHost::poll(EventLoop&, double timeout) {
  if (loop_ || timeout == 0) return;  // driven from JS: never block
  static const bool can_block = aio_web_can_block() != 0;
  if (!can_block) return;
  ++stats_.blocking_waits;
#if AIO_HAS_THREADS
  // Sleeps until the timeout or a wake() from another thread, whichever
  // comes first; a wake that came before this call returns at once (the
  // flag stays set until consumed here, as an eventfd's count would).
  if (wake_flag_.exchange(0) != 0) return;
  emscripten_futex_wait(&wake_flag_, 0, timeout < 0 ? INFINITY : timeout * 1000.0);
  wake_flag_.store(0);
#else
  // Nothing can wake a blocked JS thread (no other threads here), so a loop
  // with nothing scheduled (timeout < 0) would sleep for ever, as asyncio's
  // would; sleep in bounded steps so the run can at least be interrupted.
  aio_web_block(timeout < 0 ? 1000.0 : timeout * 1000.0);
#endif
}

double WebHost::monotonic() const noexcept { return emscripten_get_now() / 1000.0; }

void WebHost::set_slice_budget(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds))
    throw ValueError("slice budget must be a finite number of seconds >= 0 (0 runs one iteration per slice)");
  slice_budget_ = seconds;
}

void WebHost::set_virtual_speed(double speed) {
  if (!(speed >= 0) || std::isnan(speed))
    throw ValueError("virtual speed must be >= 0 (0 or infinity: jump at once; 1: real time; 10: ten times faster)");
  virtual_speed_ = std::isinf(speed) ? 0 : speed;
}

void WebHost::on_posted_wake() noexcept {
  wake_posted_.store(false);
  wake();
}

void WebHost::wake() noexcept {
#if AIO_HAS_THREADS
  // A blocking run (poll() on whichever thread runs the loop) sleeps on this
  // futex.
  if (wake_flag_.exchange(1) == 0) emscripten_futex_wake(&wake_flag_, INT_MAX);
  std::uintptr_t driver = driver_.load();
  if (driver == 0) return;  // not driven from JS: nothing more to do
  if (driver != static_cast<std::uintptr_t>(pthread_self())) {
    // Driven from another thread's JS event loop: post the wake there (one
    // at a time: on_posted_wake() clears the flag before it wakes the host,
    // so work queued after that posts again).
    if (!wake_posted_.exchange(true))
      emscripten_dispatch_to_thread_async(static_cast<pthread_t>(driver), EM_FUNC_SIG_VI,
                                          reinterpret_cast<void*>(&aio_web_host_posted_wake), nullptr, id_);
    return;
  }
#endif
  if (!loop_ || hop_pending_) return;
  ++stats_.wakes;
  cancel_timer();
  schedule_hop();
}

void WebHost::start(EventLoop& loop, std::function<void(std::exception_ptr)> on_stopped) {
  if (&loop.host() != this) throw RuntimeError("WebHost::start: the loop runs on another host");
  if (loop_) throw RuntimeError("This event loop is already running");
  loop.begin_run();
  loop_ = &loop;
  on_stopped_ = std::move(on_stopped);
#if AIO_HAS_THREADS
  driver_.store(static_cast<std::uintptr_t>(pthread_self()));
#endif
  schedule_hop();
}

void WebHost::schedule_hop() noexcept {
  hop_pending_ = true;
  ++stats_.hops;
  aio_web_hop(id_);
}

void WebHost::cancel_timer() noexcept {
  if (timer_id_) {
    aio_web_clear_timer(timer_id_);
    timer_id_ = 0;
  }
}

void WebHost::schedule(double wait) noexcept {
  // Something woke the host during the slice (a task made from JS, a result
  // delivered from JS): its hop is on its way and will run the next slice,
  // which schedules again. A timer set now would make that hop's turn look
  // stale (on_js_turn skips a turn while a timer is pending), and what the
  // wake brought would wait for the timer: a result arriving under a
  // wait_for(..., 10) was held for the full 10 s.
  if (hop_pending_) return;
  // On the virtual clock, outside work that is only JS promises (external
  // waits) may be waiting on this very loop: an async function awaiting one
  // of its tasks. JS gets one turn (its microtasks, then a hop) to settle
  // them; if none did, the next slice jumps the clock over them (the loop
  // keeps the permission until its next iteration, which comes with that
  // turn). A promise that needs real time to settle (a setTimeout) lets
  // virtual time run on.
  const bool waits_only = wait > 0 && loop_->clock() == Clock::virtual_time && loop_->only_external_waits();
  if (waits_only) loop_->jump_over_external_waits();
  if (wait == 0 || (waits_only && virtual_speed_ == 0)) {
    schedule_hop();
  } else if (wait > 0 && loop_->clock() == Clock::real) {
    ++stats_.timers;
    timer_id_ = aio_web_set_timer(id_, wait * 1000.0);
  } else if (wait > 0 && virtual_speed_ > 0 && (!loop_->has_external_work() || waits_only)) {
    // A paced virtual clock: let real time pass before the loop's next
    // iteration jumps over `wait` virtual seconds.
    ++stats_.timers;
    timer_id_ = aio_web_set_timer(id_, wait / virtual_speed_ * 1000.0);
  }
  // Otherwise nothing is scheduled (wait < 0), or a virtual-time loop waits
  // for outside work before it may jump: either way only wake() can bring
  // new work, and it schedules the next slice.
#if AIO_HAS_THREADS
  // An executor job in flight will wake() the loop from its worker thread.
  // Node does not count a busy worker thread as pending work (the package
  // unrefs its workers, see index.js), so keep a slow timer meanwhile, or
  // Node would exit with the job's result on its way.
  if (!timer_id_ && !hop_pending_ && loop_->has_external_work()) timer_id_ = aio_web_set_timer(id_, 1000.0);
#endif
}

void WebHost::on_js_turn(bool from_timer) noexcept {
  if (from_timer) timer_id_ = 0;
  else hop_pending_ = false;
  if (!loop_ || hop_pending_ || timer_id_) return;  // a stale turn, or another one is already due
  ++stats_.slices;
  EventLoop::SliceResult result;
  try {
    result = loop_->run_slice(slice_budget_, /*jump_virtual_time=*/virtual_speed_ == 0);
  } catch (...) {
    if (after_slice_) after_slice_();
    finish(std::current_exception());
    return;
  }
  if (after_slice_) after_slice_();
  if (result.stopped) finish(nullptr);
  else schedule(result.wait);
}

void WebHost::finish(std::exception_ptr error) noexcept {
  cancel_timer();
  EventLoop* loop = loop_;
  loop_ = nullptr;
#if AIO_HAS_THREADS
  driver_.store(0);
#endif
  loop->end_run();
  auto on_stopped = std::move(on_stopped_);
  on_stopped_ = nullptr;
  if (on_stopped) on_stopped(error);
}

WebHost& host_of(EventLoop& loop) {
  auto* host = as_web_host(loop.host());
  if (!host) throw RuntimeError("this event loop does not run on the browser host (aio::web::WebHost)");
  return *host;
}

void run_forever(EventLoop& loop, std::function<void(std::exception_ptr)> on_stopped) {
  host_of(loop).start(loop, std::move(on_stopped));
}

}  // namespace aio::web

namespace aio {
std::unique_ptr<Host> make_default_host() { return std::make_unique<web::WebHost>(); }
}  // namespace aio
