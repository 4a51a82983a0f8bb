#include "aio/event_loop.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

#include "aio/config.hpp"
#include "aio/executor.hpp"
#include "aio/gather.hpp"
#include "aio/task.hpp"
#include "context_state.hpp"

namespace aio {
namespace {

thread_local EventLoop* t_running_loop = nullptr;

// Constants of asyncio's base_events.py, kept so that timer order and the
// cleanup of cancelled timers match CPython exactly.
constexpr double kMaximumSelectTimeout = 24 * 3600;
constexpr std::size_t kMinScheduledTimerHandles = 100;
constexpr double kMinCancelledTimerHandlesFraction = 0.5;
constexpr double kClockResolution = 1e-9;  // time.get_clock_info('monotonic').resolution

// The loops not destroyed yet, for EventLoop::alive. Loops are made and
// destroyed rarely, and asked about only when a TimerHandle is cancelled
// after it left the heap, so a mutex and a short vector do.
struct LiveLoops {
  std::mutex mutex;
  std::vector<const EventLoop*> loops;
};
LiveLoops& live_loops() {
  static LiveLoops* live = new LiveLoops;  // never destroyed: loops may outlive static destruction
  return *live;
}

}  // namespace

EventLoop& get_running_loop() {
  if (!t_running_loop) throw RuntimeError("no running event loop");
  return *t_running_loop;
}

EventLoop* try_get_running_loop() noexcept { return t_running_loop; }

EventLoop::EventLoop() : EventLoop(Options{}) {}
EventLoop::EventLoop(Options options) : EventLoop(options, make_default_host()) {}
EventLoop::EventLoop(Options options, std::unique_ptr<Host> host)
    : clock_(options.clock), debug_(options.debug), host_(std::move(host)), anchor_(new detail::LoopAnchor{this}) {
  LiveLoops& live = live_loops();
  std::lock_guard lock(live.mutex);
  live.loops.push_back(this);
}

EventLoop::~EventLoop() {
  if (!closed_ && !running_)
    close();
  else if (closed_)
    // A pending task someone else held and woke after close() (an Event set)
    // sits in the ready queue, where nothing will run it: let go of it.
    drop_ready();
  // The futures that outlive the loop learn it through the anchor: they
  // report to the default handler from now on, and raise where they would
  // need the loop. The last of them frees it.
  anchor_->loop = nullptr;
  anchor_->release();
  while (detail::AsyncGenEntry* entry = asyncgens_.pop_front()) entry->detach(entry->gen);
  asyncgen_count_ = 0;
  LiveLoops& live = live_loops();
  std::lock_guard lock(live.mutex);
  live.loops.erase(std::remove(live.loops.begin(), live.loops.end(), this), live.loops.end());
}

bool EventLoop::alive(const EventLoop* loop) noexcept {
  LiveLoops& live = live_loops();
  std::lock_guard lock(live.mutex);
  return std::find(live.loops.begin(), live.loops.end(), loop) != live.loops.end();
}

EventLoop& Handle::get_loop() const {
  if (!s_) throw RuntimeError("get_loop(): this Handle is empty; call_soon() and call_later() return real ones");
  // The registry, not the handle, knows whether the loop still exists (a
  // handle has no anchor, see loop_anchor.hpp). A loop since built at the
  // same address would pass for it; it is at least a live loop.
  if (!EventLoop::alive(s_->loop))
    throw RuntimeError("Event loop is closed: this handle outlived its event loop (it was destroyed)");
  return *s_->loop;
}

double EventLoop::time() const noexcept { return clock_ == Clock::real ? host_->monotonic() : virtual_now_; }

void EventLoop::check_closed() const {
  if (closed_)
    throw RuntimeError("Event loop is closed", "create a new loop (or use aio::run()) to schedule more work");
}

void EventLoop::check_thread() const {
  if (running_ && thread_id_ != std::this_thread::get_id())
    throw RuntimeError(
        "Non-thread-safe operation invoked on an event loop other than the current one: use call_soon_threadsafe()");
}

// ---- scheduling ---------------------------------------------------------------

#if AIO_HAS_CONTEXTVARS
namespace {
// asyncio's Handle(context=None): the callback will run in a copy of the
// context current now. Nothing to copy, and no allocation, when that is
// empty: the callback then runs in an empty context of its own (run_handle).
// Out of line: call_soon only tests context_vars_exist() (see
// context_state.hpp), and this code would cost it registers and stack.
[[gnu::noinline]] void capture_context(detail::Callback& fn) {
  if (detail::current_context_empty()) return;
  fn = detail::Callback(
      detail::ContextBound<detail::Callback>{detail::ContextRef::adopt(detail::capture_context()), std::move(fn)});
}

// Runs a callback in a context of its own, empty unless the callback is bound
// to one (see ScratchContext).
template <class F>
void run_in_own_context(F&& call) {
  if (detail::context_vars_exist()) [[unlikely]] {
    detail::ScratchContext context;
    call();
  } else {
    call();
    if (detail::context_vars_exist()) [[unlikely]]
      detail::drop_base_context();
  }
}
}  // namespace
#endif

#if AIO_HAS_CONTEXTVARS
detail::HandleState* EventLoop::schedule_soon(detail::Callback fn, const char* label, bool capture) {
  if (capture && detail::context_vars_exist()) [[unlikely]]
    capture_context(fn);
#else
detail::HandleState* EventLoop::schedule_soon(detail::Callback fn, const char* label) {
#endif
  check_closed();
  if (debug_) check_thread();
  auto* h = new detail::HandleState(this, std::move(fn), label);
  h->refs = 2;  // the ready queue's and the returned Handle's
  h->seq = ++handle_counter_;
  ready_.push(h);
  return h;
}

#if AIO_HAS_CONTEXTVARS
detail::HandleState* EventLoop::schedule_at(double when, detail::Callback fn, const char* label, bool capture) {
  if (capture && detail::context_vars_exist()) [[unlikely]]
    capture_context(fn);
#else
detail::HandleState* EventLoop::schedule_at(double when, detail::Callback fn, const char* label) {
#endif
  check_closed();
  if (debug_) check_thread();
  auto* h = new detail::TimerHandleState(this, std::move(fn), label, when);
  h->refs = 2;  // the heap's and the returned Handle's
  h->seq = ++handle_counter_;
  h->scheduled = true;
  heap_push(TimerEntry{when, reinterpret_cast<std::uintptr_t>(h)});
  if (tracer_) trace(TraceKind::timer_scheduled, h->seq, label, std::to_string(when));
  return h;
}

// ---- frame timers (see aio/detail/frame_timer.hpp) ------------------------------

void detail::FrameTimer::schedule(EventLoop& l, double when) {
  // call_at's steps, in its order (the same sequence number, the same trace).
  l.check_closed();
  if (l.debug_) l.check_thread();
  loop = &l;
  seq = ++l.handle_counter_;
  cancelled = false;
  slot = l.take_slot(this);
  scheduled = true;
  run_ready = &EventLoop::run_frame_timer;
  l.heap_push(EventLoop::TimerEntry{when, (std::uintptr_t(slot) << 1) | 1});
  if (l.tracer_) l.trace(TraceKind::timer_scheduled, seq, kind->label, std::to_string(when));
}

void detail::FrameTimer::cancel(bool quietly) noexcept {
  // HandleState::cancel for a timer, and cancel_quietly.
  if (cancelled) return;
  if (quietly) {
    if (scheduled) ++loop->timer_cancelled_count_;
  } else {
    loop->timer_cancelled(scheduled, seq, kind->label);
  }
  cancelled = true;
}

void detail::FrameTimer::release_slow() noexcept {
  if (scheduled) {
    if (!cancelled) cancel(/*quietly=*/true);  // keep the cancelled count right
    loop->frame_timer_slots_[slot] = 0;        // the entry stays, as a cancelled one
    scheduled = false;
  }
  if (queued) {
    loop->ready_.remove(this);  // only when a frame dies between firing and running
    queued = false;
  }
}

std::uint32_t EventLoop::take_slot(detail::FrameTimer* timer) {
  std::uint32_t slot = free_slot_;
  if (slot != kNoSlot) {
    free_slot_ = static_cast<std::uint32_t>(frame_timer_slots_[slot] >> 1);
    frame_timer_slots_[slot] = reinterpret_cast<std::uintptr_t>(timer);
    return slot;
  }
  // 2^29 tasks asleep at once: tens of gigabytes of frames, never in wasm32.
  if (frame_timer_slots_.size() >= detail::FrameTimer::kMaxSlots) throw RuntimeError("too many tasks asleep");
  detail::reserve_for_push(frame_timer_slots_);
  frame_timer_slots_.push_back(reinterpret_cast<std::uintptr_t>(timer));
  return static_cast<std::uint32_t>(frame_timer_slots_.size() - 1);
}

void EventLoop::run_frame_timer(detail::ReadyItem* item) {
  // HandleState::run and run_handle for a frame timer. Its action only wakes
  // a waiter and cannot throw or be slow, so it is neither guarded nor timed.
  auto* t = static_cast<detail::FrameTimer*>(item);
  t->queued = false;
  if (t->cancelled) return;
  if (t->loop->tracer_) t->loop->trace(TraceKind::callback_run, t->seq, t->kind->label);
  t->kind->fire(*t);
}

bool EventLoop::entry_cancelled(const TimerEntry& e) const noexcept {
  if (!is_slot(e)) return handle_of(e)->cancelled;
  detail::FrameTimer* t = slot_timer(slot_of(e));
  return !t || t->cancelled;
}

// A cancelled entry leaves the heap (or the loop closes).
void EventLoop::drop_entry(const TimerEntry& e) noexcept {
  if (!is_slot(e)) {
    detail::HandleState* h = handle_of(e);
    h->scheduled = false;
    h->release();
    return;
  }
  if (detail::FrameTimer* t = slot_timer(slot_of(e))) t->scheduled = false;
  free_slot(slot_of(e));
}

// A due entry leaves the heap: what goes on the ready queue, if anything.
detail::ReadyItem* EventLoop::fire_entry(const TimerEntry& e) {
  if (!is_slot(e)) {
    detail::HandleState* h = handle_of(e);
    h->scheduled = false;
    if (tracer_ && !h->cancelled) trace(TraceKind::timer_fired, h->seq, h->label);
    return h;  // the heap's reference passes to the ready queue
  }
  detail::FrameTimer* t = slot_timer(slot_of(e));
  drop_entry(e);
  // A cancelled handle would go through the ready queue and do nothing there;
  // nothing can tell the difference if a cancelled frame timer skips it.
  if (!t || t->cancelled) return nullptr;
  if (tracer_) trace(TraceKind::timer_fired, t->seq, t->kind->label);
  t->queued = true;
  return t;
}

#if AIO_HAS_CONTEXTVARS
detail::HandleState* EventLoop::schedule_threadsafe(detail::Callback fn, const char* label, bool capture) {
  if (capture && detail::context_vars_exist()) [[unlikely]]
    capture_context(fn);
#else
detail::HandleState* EventLoop::schedule_threadsafe(detail::Callback fn, const char* label) {
#endif
  // closed_ belongs to the loop's thread; other threads learn that the loop
  // is closed from threadsafe_closed_, under the mutex that close() takes.
  auto* h = new detail::HandleState(this, std::move(fn), label);
  h->refs = 2;
  h->atomic_refs = true;  // the caller's thread and the loop's thread both release it
  {
    std::unique_lock lock(threadsafe_mutex_);
    if (threadsafe_closed_) {
      lock.unlock();
      delete h;
      throw RuntimeError("Event loop is closed: call_soon_threadsafe() cannot reach it any more");
    }
    threadsafe_.push_back(h);
    has_threadsafe_.store(true, std::memory_order_release);
    // Woken under the lock: once close() has taken it, nobody touches the
    // host, which may be destroyed right after.
    host_->wake();
  }
  return h;
}

void EventLoop::drain_threadsafe() {
  if (!has_threadsafe_.load(std::memory_order_acquire)) return;
  std::vector<detail::HandleState*> handles;
  {
    std::lock_guard lock(threadsafe_mutex_);
    handles.swap(threadsafe_);
    has_threadsafe_.store(false, std::memory_order_relaxed);
  }
  for (auto* h : handles) {
    // Numbered here, on the loop thread, rather than in schedule_threadsafe:
    // no atomic counter, and the number follows the order the loop sees.
    h->seq = ++handle_counter_;
    ready_.push(h);
  }
}

void EventLoop::timer_handle_cancelled(detail::HandleState* h) noexcept { timer_cancelled(h->scheduled, h->seq, h->label); }

void EventLoop::timer_cancelled(bool in_heap, std::uint64_t seq, const char* label) noexcept {
  if (in_heap) ++timer_cancelled_count_;
  if (tracer_) trace(TraceKind::timer_cancelled, seq, label);
}

// ---- the timer heap: a line-by-line port of Python's heapq ----------------------
// Equal deadlines are not ordered first-in first-out by heapq; porting its
// exact sift operations makes same-deadline timers fire in CPython's order.

void EventLoop::heap_push(TimerEntry entry) {
  detail::reserve_for_push(scheduled_);
  scheduled_.push_back(entry);
  heap_sift_down(0, scheduled_.size() - 1);
}

EventLoop::TimerEntry EventLoop::heap_pop() {
  TimerEntry last = scheduled_.back();
  scheduled_.pop_back();
  if (scheduled_.empty()) return last;
  TimerEntry top = scheduled_[0];
  scheduled_[0] = last;
  heap_sift_up(0);
  return top;
}

// heapq._siftdown: move the item at `pos` toward the root.
void EventLoop::heap_sift_down(std::size_t startpos, std::size_t pos) {
  TimerEntry item = scheduled_[pos];
  while (pos > startpos) {
    std::size_t parentpos = (pos - 1) >> 1;
    TimerEntry parent = scheduled_[parentpos];
    if (item.when < parent.when) {  // TimerHandle.__lt__: deadlines only (ties are not FIFO)
      scheduled_[pos] = parent;
      pos = parentpos;
      continue;
    }
    break;
  }
  scheduled_[pos] = item;
}

// heapq._siftup: move the smaller child up until a leaf, then sift down.
void EventLoop::heap_sift_up(std::size_t pos) {
  std::size_t endpos = scheduled_.size();
  std::size_t startpos = pos;
  TimerEntry item = scheduled_[pos];
  std::size_t childpos = 2 * pos + 1;
  while (childpos < endpos) {
    std::size_t rightpos = childpos + 1;
    if (rightpos < endpos && !(scheduled_[childpos].when < scheduled_[rightpos].when)) childpos = rightpos;
    scheduled_[pos] = scheduled_[childpos];
    pos = childpos;
    childpos = 2 * pos + 1;
  }
  scheduled_[pos] = item;
  heap_sift_down(startpos, pos);
}

// ---- running ------------------------------------------------------------------

double EventLoop::run_once() {
#if AIO_HAS_CONTEXTVARS
  detail::NoContextSlot no_slot;  // tasks' steps run in the tasks' contexts, whatever ran this loop
#endif
  // Drop cancelled timers: all of them when they are many, else those at the
  // head of the heap (asyncio's _run_once).
  std::size_t sched_count = scheduled_.size();
  if (sched_count > kMinScheduledTimerHandles &&
      static_cast<double>(timer_cancelled_count_) / static_cast<double>(sched_count) >
          kMinCancelledTimerHandlesFraction) {
    detail::HugeVector<TimerEntry> kept;
    kept.reserve(sched_count);
    for (const TimerEntry& e : scheduled_) {
      if (entry_cancelled(e))
        drop_entry(e);
      else
        kept.push_back(e);
    }
    scheduled_.swap(kept);
    for (std::size_t i = scheduled_.size() / 2; i-- > 0;) heap_sift_up(i);  // heapq.heapify
    timer_cancelled_count_ = 0;
  } else {
    while (!scheduled_.empty() && entry_cancelled(scheduled_[0])) {
      --timer_cancelled_count_;
      drop_entry(heap_pop());
    }
  }

  drain_threadsafe();
  double timeout = -1;  // wait until woken
  if (!ready_.empty() || stopping_) {
    timeout = 0;
  } else if (!scheduled_.empty()) {
    timeout = std::min(std::max(0.0, scheduled_[0].when - time()), kMaximumSelectTimeout);
  }

  // Granted for this iteration only: if something is ready, what it runs may
  // start new waits that JS must get its turn to settle.
  const bool jump_over_waits = std::exchange(jump_over_waits_, false) && only_external_waits();
  if (clock_ == Clock::virtual_time && timeout > 0 &&
      (external_work_.load(std::memory_order_relaxed) == 0 || jump_over_waits)) {
    // The autojump: look for I/O without waiting; if nothing came, jump the
    // clock by the whole timeout instead of sleeping through it.
    std::size_t before = ready_.size();
    host_->poll(*this, 0);
    if (ready_.size() == before && !has_threadsafe_.load(std::memory_order_acquire)) virtual_now_ += timeout;
  } else {
    host_->poll(*this, timeout);
  }
  drain_threadsafe();

  // Move the timers that are due to the ready queue (no clock read without
  // timers: a loop of bare yields reads it never).
  double end_time = scheduled_.empty() ? 0 : time() + kClockResolution;
  while (!scheduled_.empty()) {
    if (scheduled_[0].when >= end_time) break;
    if (detail::ReadyItem* item = fire_entry(heap_pop())) ready_.push(item);
  }

  // This is the only place where callbacks are actually *called*. Only the
  // callbacks ready now run; those they schedule wait for the next iteration.
  // (Not empty() alone: a frame timer whose frame dies takes itself out.)
  run_ready(ready_.size());

  if (!ready_.empty() || stopping_) return 0;
  if (!scheduled_.empty()) return std::max(0.0, scheduled_[0].when - time());
  return -1;
}

void EventLoop::check_running() const {
  if (running_) throw RuntimeError("This event loop is already running");
  if (t_running_loop) throw RuntimeError("Cannot run the event loop while another loop is running");
}

void EventLoop::begin_run() {
  check_closed();
  check_running();
  thread_id_ = std::this_thread::get_id();
  running_ = true;
}

void EventLoop::end_run() noexcept {
  stopping_ = false;
  running_ = false;
  thread_id_ = {};
}

void EventLoop::run_forever() {
  begin_run();
  t_running_loop = this;
  struct Reset {
    EventLoop* loop;
    ~Reset() {
      loop->end_run();
      t_running_loop = nullptr;
    }
  } reset{this};
  for (;;) {
    run_once();
    if (stopping_) break;
  }
}

EventLoop::SliceResult EventLoop::run_slice(double budget, bool jump_virtual_time) {
  if (!running_) throw RuntimeError("run_slice() needs a running loop: call begin_run() first");
  if (t_running_loop) throw RuntimeError("Cannot run the event loop while another loop is running");
  t_running_loop = this;
  struct Reset {
    ~Reset() { t_running_loop = nullptr; }
  } reset;
  // The budget is measured on the host's real clock even on a virtual-time
  // loop: it bounds how long the host's own event loop is kept waiting.
  const double start = host_->monotonic();
  const double deadline = start + budget;
  // In the browser a clock read is a call out to JS (about 150 ns): once per
  // iteration, it was a tenth of a loop of bare yields. So the deadline is
  // read every `countdown` iterations: as many as the iterations so far (on
  // average) fit four times over into what is left of the budget, at most
  // kMaxSliceStride. Steady heavy work reads the clock after every iteration;
  // only an iteration suddenly far longer than the slice's earlier ones can
  // overrun the budget, by at most that many iterations.
  constexpr unsigned kMaxSliceStride = 8;
  unsigned iterations = 0;
  unsigned countdown = 1;
  SliceResult result;
  for (;;) {
    result.wait = run_once();
    ++iterations;
    // On the virtual clock with no outside work in flight, the next iteration
    // jumps to the timer instead of waiting for it: there is no wait.
    if (jump_virtual_time && clock_ == Clock::virtual_time && result.wait > 0 && !has_external_work())
      result.wait = 0;
    if (stopping_) {
      result.stopped = true;
      return result;
    }
    if (result.wait != 0) return result;
    if (--countdown != 0) continue;
    const double now = host_->monotonic();
    if (now >= deadline) return result;
    const double fit = (deadline - now) * iterations / (4 * (now - start));  // +inf if no time passed
    countdown = fit >= kMaxSliceStride ? kMaxSliceStride : fit >= 1 ? static_cast<unsigned>(fit) : 1;
  }
}

void detail::HandleState::run(ReadyItem* item) {
  auto* h = static_cast<HandleState*>(item);
  if (!h->cancelled) h->loop->run_handle(h);
  h->release();
}

void detail::HandleState::cancel() noexcept {
  if (cancelled) return;
  // Out of the heap, the handle may have outlived its loop (a frame destroyed
  // after the loop): the cancel is traced only if there is a loop to trace it.
  if (is_timer && (scheduled || EventLoop::alive(loop))) loop->timer_handle_cancelled(this);
  cancelled = true;
  if (!running) fn.reset();  // drop what the callback holds, as asyncio does
}

void detail::HandleState::cancel_quietly() noexcept {
  if (cancelled) return;
  if (is_timer && scheduled) ++loop->timer_cancelled_count_;
  cancelled = true;
  if (!running) fn.reset();
}

void detail::HandleState::release() noexcept {
  if (atomic_refs ? __atomic_sub_fetch(&refs, 1, __ATOMIC_ACQ_REL) == 0 : --refs == 0) {
    if (is_timer)
      delete static_cast<TimerHandleState*>(this);
    else
      delete this;
  }
}

void EventLoop::run_handle(detail::HandleState* h) {
  if (tracer_) trace(TraceKind::callback_run, h->seq, h->label);
  h->running = true;
  // Timed only if debug mode was on when it started (asyncio reads _debug
  // once): set_debug(true) inside the callback would otherwise time it from 0.
  const bool timed = debug_;
  double t0 = timed ? host_->monotonic() : 0;
  try {
#if AIO_HAS_CONTEXTVARS
    run_in_own_context(h->fn);
#else
    h->fn();
#endif
  } catch (...) {
    ExceptionContext ctx;
    ctx.message = std::string("Exception in callback ") + h->label;
    ctx.exception = std::current_exception();
    ctx.handle = h->label;
    call_exception_handler(ctx);
  }
  h->running = false;
  if (h->cancelled) h->fn.reset();
  if (timed) {
    double dt = host_->monotonic() - t0;
    if (dt >= slow_callback_duration) std::fprintf(stderr, "Executing <Handle %s> took %.3f seconds\n", h->label, dt);
  }
}

void EventLoop::run_done_callback(void (*invoke)(detail::DoneCallbackNode*, detail::FutureCore&),
                                  detail::DoneCallbackNode* node, detail::FutureCore& core, std::uint64_t seq) {
  static constexpr const char* label = "done callback";
  if (tracer_ || debug_) [[unlikely]] {
    if (tracer_) trace(TraceKind::callback_run, seq, label);
  }
  const bool timed = debug_;  // see run_handle
  double t0 = timed ? host_->monotonic() : 0;
  try {
#if AIO_HAS_CONTEXTVARS
    run_in_own_context([&] { invoke(node, core); });
#else
    invoke(node, core);
#endif
  } catch (...) {
    ExceptionContext ctx;
    ctx.message = std::string("Exception in callback ") + label;
    ctx.exception = std::current_exception();
    ctx.handle = label;
    call_exception_handler(ctx);
  }
  if (timed) {
    double dt = host_->monotonic() - t0;
    if (dt >= slow_callback_duration) std::fprintf(stderr, "Executing <Handle %s> took %.3f seconds\n", label, dt);
  }
}

// ---- tasks --------------------------------------------------------------------

void EventLoop::enter_task_slow(detail::TaskCore* task) {
  if (current_task_)
    throw RuntimeError("Cannot enter into task " + task->get_name() + " while another task " +
                       current_task_->get_name() + " is being executed.");
  current_task_ = task;
  detail::t_current_task = task;
  if (tracer_) trace(TraceKind::task_resumed, task->id(), task->get_name());
  if (debug_) step_started_ = host_->monotonic();
}

void EventLoop::leave_task_slow(detail::TaskCore* task) noexcept {
  current_task_ = nullptr;
  detail::t_current_task = nullptr;
  if (tracer_ && !task->done())
    trace(TraceKind::task_suspended, task->id(), task->get_name(), task->waiting_on() ? task->waiting_on() : "");
  // step_started_ is 0 unless debug mode was on when the step began: a step
  // that turned it on (set_debug(true) in a task) is not timed from 0.
  if (debug_ && step_started_ != 0) {
    double dt = host_->monotonic() - step_started_;
    if (dt >= slow_callback_duration)
      std::fprintf(stderr, "Executing %s took %.3f seconds\n", task->describe().c_str(), dt);
  }
  step_started_ = 0;
}

void EventLoop::register_task(detail::TaskCore* task) noexcept {
  task->add_ref();  // the loop keeps every pending task alive
  tasks_.push_back(task);  // all_tasks() lists them in creation order
  ++task_count_;
}

void EventLoop::unregister_task(detail::TaskCore* task) noexcept {
  tasks_.remove(task);
  --task_count_;
  task->release();
}

std::vector<detail::TaskCore*> EventLoop::all_tasks() const {
  std::vector<detail::TaskCore*> tasks;
  tasks.reserve(task_count_);
  for (detail::TaskCore* t : tasks_) tasks.push_back(t);
  return tasks;
}

// ---- errors -------------------------------------------------------------------

namespace {

// The report a failing custom handler was given, as asyncio prints its
// context dict under 'context:'. Appends rather than operator+: in wasm every
// byte of the module counts.
std::string context_repr(const ExceptionContext& context) {
  std::string out = "{'message': '";
  out += context.message;
  out += '\'';
  if (context.exception) {
    out += ", 'exception': ";
    out += exception_repr(context.exception);
  }
  const std::pair<const char*, const std::string*> described[] = {
    {"future", &context.future},
    {"handle", &context.handle},
    {"task", &context.task},
#if AIO_HAS_NET  // only the network layer sets these: no code for them in the wasm package
    {"transport", &context.transport},
    {"protocol", &context.protocol},
    {"socket", &context.socket},
#endif
  };
  for (const auto& [key, value] : described) {
    if (value->empty()) continue;
    out += ", '";
    out += key;
    out += "': ";
    out += *value;
  }
  out += '}';
  return out;
}

}  // namespace

void EventLoop::call_exception_handler(const ExceptionContext& context) noexcept {
  if (!exception_handler_) {
    default_exception_handler(context);
    return;
  }
  try {
    exception_handler_(*this, context);
  } catch (...) {
    // As asyncio: one report of the handler's own error that carries the
    // report it failed on, so the original problem is not lost either.
    ExceptionContext ctx;
    ctx.message = "Unhandled error in exception handler";
    ctx.exception = std::current_exception();
    try {
      ctx.context = context_repr(context);
    } catch (...) {
      // Without memory for the text the handler's error is still reported.
    }
    default_exception_handler(ctx);
  }
}

void EventLoop::default_exception_handler(const ExceptionContext& context) noexcept {
  try {
    std::string text = context.message.empty() ? "Unhandled exception in event loop" : context.message;
    // asyncio prints the other keys as "key: repr" lines in sorted order.
    if (!context.context.empty()) text += "\ncontext: " + context.context;
    if (!context.future.empty()) text += "\nfuture: " + context.future;
    if (!context.handle.empty()) text += "\nhandle: " + context.handle;
#if AIO_HAS_NET
    if (!context.protocol.empty()) text += "\nprotocol: " + context.protocol;
    if (!context.socket.empty()) text += "\nsocket: " + context.socket;
#endif
    if (!context.task.empty()) text += "\ntask: " + context.task;
#if AIO_HAS_NET
    if (!context.transport.empty()) text += "\ntransport: " + context.transport;
#endif
    if (context.exception) {
      text += "\n" + describe_exception(context.exception);
      // Below the error, as a traceback prints an exception's notes: what()
      // keeps asyncio's exact text, and the person reading this gets the fix.
      if (std::string hint = exception_hint(context.exception); !hint.empty()) text += "\nhint: " + hint;
    }
    std::fprintf(stderr, "%s\n", text.c_str());
  } catch (...) {
    std::fputs("aio: error while reporting an error\n", stderr);
  }
}

void EventLoop::trace(TraceKind kind, std::uint64_t id, std::string name, std::string detail) {
  if (!tracer_) return;
  try {
    tracer_->record(TraceEvent{time(), kind, id, std::move(name), std::move(detail)});
  } catch (...) {
    // Tracing must never change what the program does.
  }
}

// ---- executor -----------------------------------------------------------------

void EventLoop::set_default_executor(std::shared_ptr<Executor> executor) { default_executor_ = std::move(executor); }

Executor& EventLoop::default_executor() {
  if (!default_executor_) default_executor_ = std::make_shared<ThreadPoolExecutor>();
  return *default_executor_;
}

void EventLoop::shutdown_default_executor() {
#if AIO_HAS_THREADS
  if (auto join = take_executor_joiner()) join();
#endif
  if (default_executor_) default_executor_->shutdown(true);
}

// ---- async generators ----------------------------------------------------------

Task<void> EventLoop::shutdown_asyncgens() {
  if (asyncgens_.empty()) co_return;
  // Each closer takes its generator off the list when it finishes; taking
  // them all off first is asyncio's `closing_agens = list(self._asyncgens)`.
  std::vector<detail::AsyncGenEntry*> closing;
  closing.reserve(asyncgen_count_);
  for (detail::AsyncGenEntry* entry : asyncgens_) closing.push_back(entry);
  std::vector<Task<void>> closers;
  closers.reserve(closing.size());
  for (detail::AsyncGenEntry* entry : closing) closers.push_back(entry->aclose(entry->gen));
  auto results = co_await gather(return_exceptions, std::move(closers));
  for (const auto& result : results) {
    // asyncio reports instances of Exception only: a CancelledError is not one.
    std::exception_ptr e = result.exception();
    if (!e || is_cancelled_error(e)) continue;
    ExceptionContext ctx;
    ctx.message = "an error occurred during closing of asynchronous generator";
    ctx.exception = e;
    call_exception_handler(ctx);
  }
}

// ---- closing ------------------------------------------------------------------

void EventLoop::close() {
  if (running_) throw RuntimeError("Cannot close a running event loop", "stop() it and let run_forever() return first");
  if (closed_) return;
  closed_ = true;
  drop_ready();
  for (const TimerEntry& e : scheduled_) drop_entry(e);
  scheduled_.clear();
  frame_timer_slots_.clear();
  free_slot_ = kNoSlot;
  destroy_pending();
  drop_ready();
  shutdown_default_executor();
  {
    // Results of executor jobs still come in during the shutdown above; from
    // here on call_soon_threadsafe raises, and what came in is dropped.
    std::lock_guard lock(threadsafe_mutex_);
    threadsafe_closed_ = true;
  }
  drop_ready();
}

void EventLoop::drop_ready() noexcept {
  // Drop what never ran. Releasing a task's step may destroy a pending task,
  // which reports itself; destructors of its frame may queue more items.
  drain_threadsafe();
  while (!ready_.empty()) {
    detail::ReadyItem* item = ready_.pop();
    if (item->run_ready == &detail::HandleState::run)
      static_cast<detail::HandleState*>(item)->release();
    else if (item->run_ready == &detail::HeapCallbackNode::scheduled)
      detail::HeapCallbackNode::discard(item);
    else if (item->run_ready == &EventLoop::run_frame_timer)
      static_cast<detail::FrameTimer*>(item)->queued = false;
    else
      detail::TaskCore::release_step(item);
  }
}

void EventLoop::destroy_pending() {
  // The loop's references to pending tasks go; a task nobody else holds is
  // destroyed and reported ("Task was destroyed but it is pending!").
  while (detail::TaskCore* task = tasks_.front()) {
    // Held elsewhere too, it survives as a pending task and will report that
    // when destroyed: to this loop, or to the default handler if the loop is
    // destroyed first.
    unregister_task(task);
  }
}

}  // namespace aio

// call_soon makes one HandleState per call: keep it in the 88-byte pool class
// natively, and in a 56-byte dlmalloc chunk (52 bytes and the chunk's 4-byte
// header) in wasm32 (see the layout note in aio/handle.hpp).
static_assert(sizeof(void*) != 8 || sizeof(aio::detail::HandleState) <= 88);
static_assert(sizeof(void*) != 4 || sizeof(aio::detail::HandleState) <= 52);
static_assert(sizeof(void*) != 8 || sizeof(aio::detail::TimerHandleState) <= 96);
static_assert(sizeof(void*) != 4 || sizeof(aio::detail::TimerHandleState) <= 60);
