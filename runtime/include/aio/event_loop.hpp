#pragma once
/// The event loop: asyncio's BaseEventLoop, platform-neutral.
///
/// The loop is a ready queue of callbacks, a heap of timers and a Host it asks
/// for I/O. `run_once()` is one iteration of asyncio's `_run_once`: poll the
/// host (blocking no longer than until the earliest timer), move expired
/// timers to the ready queue, then run exactly the callbacks that were ready
/// when the iteration began. Native programs block in `run_forever` /
/// `run_until_complete`; the browser host calls `run_once()` from JS timers.
///
/// A loop belongs to the thread that runs it. Only `call_soon_threadsafe` (and
/// what is built on it) may be called from other threads.
///
/// close() destroys the pending tasks only the loop holds. Futures, tasks and
/// handles someone else still holds may outlive the loop, as in asyncio, where
/// they keep their loop alive: destroying them afterwards is safe, and what
/// they would have reported to the loop's exception handler (an exception
/// never retrieved, a task destroyed while pending) goes to the default one
/// (stderr). Once the loop is destroyed, destroying them and reading their
/// state (done(), result(), exception()) is all they are good for: what would
/// need the loop raises RuntimeError("Event loop is closed: ..."), as asyncio
/// does on a closed loop (get_loop(), a pending Task's cancel(),
/// add_done_callback on a done future), and completing a future whose done
/// callbacks can no longer run reports that to the default handler. They
/// know through the loop's anchor (detail/loop_anchor.hpp).
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "aio/config.hpp"
#include "aio/contextvars.hpp"
#include "aio/detail/awaitable.hpp"
#include "aio/detail/callback.hpp"
#include "aio/detail/frame_timer.hpp"
#include "aio/detail/huge_pages.hpp"
#include "aio/detail/intrusive_list.hpp"
#include "aio/detail/loop_anchor.hpp"
#include "aio/detail/ready_queue.hpp"
#include "aio/errors.hpp"
#include "aio/handle.hpp"
#include "aio/host.hpp"
#include "aio/trace.hpp"

namespace aio {

template <class T>
class Future;
template <class T>
class Task;
class Executor;
struct EagerStart;

namespace detail {
class TaskCore;
class FutureCore;
class HandleState;
struct DoneCallbackNode;
// An async generator that started on a loop and has not finished: what
// EventLoop::shutdown_asyncgens() closes (asyncio's loop._asyncgens, which its
// firstiter hook fills). It lives in the generator's promise, `gen`, and is
// linked into its loop's list: a server may run thousands of lines() at once,
// and each leaves in O(1) when it ends.
struct AsyncGenEntry {
  void* gen;
  Task<void> (*aclose)(void* gen);  // a coroutine running the generator's aclose()
  void (*detach)(void* gen);        // the loop is going away: forget it
  IntrusiveListHook<AsyncGenEntry> list_hook;
};
}  // namespace detail

/// Which clock a loop reads.
enum class Clock {
  /// The monotonic clock; sleeping a second takes a second.
  real,
  /// Starts at 0 and, whenever nothing is ready to run and no outside work
  /// (executor jobs) is in flight, jumps straight to the next timer (trio's
  /// autojump clock). Runs are reproducible and an hour-long sleep is instant.
  virtual_time,
};

/// What went wrong, handed to the loop's exception handler (asyncio's context
/// dict, with its keys as members).
struct ExceptionContext {
  std::string message;
  std::exception_ptr exception;  // may be null
  std::string task;              // name of the task involved, if any
  std::string future;            // description of the future involved, if any
  std::string handle;            // description of the callback involved, if any
  /// The network layer's keys (asyncio passes the objects; here their
  /// reprs): the transport and the protocol of a connection that failed
  /// ("<_SelectorSocketTransport fd=7 read=polling write=<idle, bufsize=0>>",
  /// "<EchoProtocol object at 0x...>"), and the listening socket of a failed
  /// accept ("<asyncio.TransportSocket fd=6, family=2, type=1, proto=6,
  /// laddr=('127.0.0.1', 8888)>"). Empty when not involved.
  std::string transport;
  std::string protocol;
  std::string socket;
  /// When a custom exception handler raised: the report it was given, as
  /// asyncio's 'context' key shows it ("{'message': ..., 'exception': ...}").
  std::string context;
};

class EventLoop {
 public:
  struct Options {
    Clock clock = Clock::real;
    bool debug = false;
  };

  /// A loop on the default host (epoll natively).
  EventLoop();
  explicit EventLoop(Options options);
  EventLoop(Options options, std::unique_ptr<Host> host);
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  /// Closes the loop if it is not closed yet (see close()).
  ~EventLoop();

  // ---- scheduling callbacks -------------------------------------------------

  /// Run `fn` on the next iteration, after the callbacks already scheduled.
  /// Raises RuntimeError on a closed loop.
  template <class F>
  Handle call_soon(F&& fn, const char* label = "callback") {
    return Handle(schedule_soon(detail::Callback(std::forward<F>(fn)), label));
  }
  /// Run `fn` after `delay` seconds. Callbacks due at the same time run in the
  /// order asyncio's timer heap gives them.
  template <class F>
  TimerHandle call_later(double delay, F&& fn, const char* label = "timer") {
    return TimerHandle(schedule_at(time() + delay, detail::Callback(std::forward<F>(fn)), label));
  }
  /// Run `fn` at absolute time `when` on this loop's clock (see time()).
  template <class F>
  TimerHandle call_at(double when, F&& fn, const char* label = "timer") {
    return TimerHandle(schedule_at(when, detail::Callback(std::forward<F>(fn)), label));
  }
  /// Like call_soon, callable from any thread; wakes the loop.
  template <class F>
  Handle call_soon_threadsafe(F&& fn, const char* label = "callback") {
    return Handle(schedule_threadsafe(detail::Callback(std::forward<F>(fn)), label));
  }
#if AIO_HAS_CONTEXTVARS
  /// The same with asyncio's `context=`: the callback runs in `context`
  /// itself, instead of in a copy of the context current now (what the
  /// overloads above capture).
  template <class F>
  Handle call_soon(F&& fn, const Context& context, const char* label = "callback") {
    return Handle(schedule_soon(bind_context(context, std::forward<F>(fn)), label, false));
  }
  template <class F>
  TimerHandle call_later(double delay, F&& fn, const Context& context, const char* label = "timer") {
    return TimerHandle(schedule_at(time() + delay, bind_context(context, std::forward<F>(fn)), label, false));
  }
  template <class F>
  TimerHandle call_at(double when, F&& fn, const Context& context, const char* label = "timer") {
    return TimerHandle(schedule_at(when, bind_context(context, std::forward<F>(fn)), label, false));
  }
  template <class F>
  Handle call_soon_threadsafe(F&& fn, const Context& context, const char* label = "callback") {
    return Handle(schedule_threadsafe(bind_context(context, std::forward<F>(fn)), label, false));
  }
#endif

  /// The loop's current time in seconds (monotonic, or virtual).
  double time() const noexcept;
  Clock clock() const noexcept { return clock_; }

  // ---- running and stopping -------------------------------------------------

  /// Run until `awaitable` (a Task, a Future, an unstarted coroutine, or an
  /// awaiter such as aio::sleep(1)'s, which runs as a task) is done and return its result or rethrow its exception. Defined in task.hpp.
  template <class A>
  auto run_until_complete(A&& awaitable);
  /// Run until stop() is called.
  void run_forever();
  /// Stop after the current iteration's callbacks have run.
  void stop() noexcept { stopping_ = true; }
  bool is_running() const noexcept { return running_; }
  bool is_closed() const noexcept { return closed_; }
  /// Close the loop: pending callbacks are dropped, the default executor is
  /// shut down, and tasks still pending are reported ("Task was destroyed but
  /// it is pending!") and destroyed. Raises RuntimeError while running.
  /// Unlike asyncio's close(), which shuts the default executor down without
  /// waiting (Python joins its threads at exit), this waits for the jobs
  /// already running: one finishing later would hand its result to a loop
  /// that may be gone. shutdown_default_executor(loop) (executor.hpp) waits
  /// without blocking the loop, before close().
  void close();

  /// One iteration of the loop (asyncio's `_run_once`). Returns how long the
  /// next iteration may wait for I/O: 0 when callbacks are ready, the time to
  /// the earliest timer, or -1 when nothing is scheduled. This is the step
  /// function non-blocking hosts drive.
  double run_once();

  // ---- running from a host's own event loop ---------------------------------
  // A host that must never block (the browser's main thread) cannot sit in
  // run_forever(): it enters the running state once, runs the loop in short
  // slices from its own event loop, and leaves when a slice reports the stop.
  // Between slices the loop stays running (is_running() is true, stop()
  // works), but it is not the thread's running loop, so other code may run.

  /// What a slice left behind.
  struct SliceResult {
    /// As run_once(): 0 when callbacks are ready, the time to the earliest
    /// timer, or -1 when nothing is scheduled.
    double wait = -1;
    /// stop() was called: the run is over; call end_run().
    bool stopped = false;
  };
  /// Enter the running state as run_forever() does (same checks and errors).
  void begin_run();
  /// Run iterations while callbacks are ready, until stop() or until `budget`
  /// seconds of real time have passed (at least one iteration runs; while
  /// iterations are short, the clock is read only every few of them). On the
  /// virtual clock the slice also goes on through the clock's jumps, unless
  /// `jump_virtual_time` is false: then it returns before a jump, with `wait`
  /// the virtual time to the next timer, so the host can pace virtual time
  /// (the next iteration makes the jump).
  SliceResult run_slice(double budget, bool jump_virtual_time = true);
  /// Leave the running state entered by begin_run().
  void end_run() noexcept;

  // ---- futures and tasks ----------------------------------------------------

  template <class T = void>
  Future<T> create_future();
  /// Schedule a coroutine as a task. Defined in task.hpp.
  template <class T>
  Task<T> create_task(Task<T> coro);
  template <class T>
  Task<T> create_task(Task<T> coro, std::string name);
#if AIO_HAS_CONTEXTVARS
  /// The same with asyncio's `context=` (3.11): the task runs in `context`
  /// itself, shared with whoever else holds it, instead of in a copy of the
  /// current context.
  template <class T>
  Task<T> create_task(Task<T> coro, std::string name, const Context& context);
#endif
  /// The same with asyncio's `eager_start=` (3.14): with aio::eager_start the
  /// task's first step runs now, inside create_task, if the loop is running.
  /// Defined in eager_task.hpp.
  template <class T>
  Task<T> create_task(Task<T> coro, EagerStart eager_start);
  template <class T>
  Task<T> create_task(Task<T> coro, std::string name, EagerStart eager_start);
  /// Schedule `co_await awaitable` as a task: `create_task(aio::sleep(5))`,
  /// `create_task(event.wait())`, as asyncio does for those coroutines.
  template <class A>
    requires detail::BareAwaitable<std::remove_cvref_t<A>>
  Task<detail::await_result_t<std::remove_cvref_t<A>>> create_task(A&& awaitable, std::string name = {});

  /// Called with every task create_task() makes, before its first step is
  /// scheduled (it can rename it, add done callbacks, start tracing, or ask
  /// for an eager start with `task.set_eager_start(true)`). The C++
  /// counterpart of asyncio's task factory, which in C++ cannot swap the
  /// task's type. An empty function restores the default. Eager tasks:
  /// `loop.set_task_factory(aio::eager_task_factory)` (aio/eager_task.hpp).
  using TaskFactory = std::function<void(EventLoop&, detail::TaskCore&)>;
  void set_task_factory(TaskFactory factory) { task_factory_ = std::move(factory); }
  const TaskFactory& get_task_factory() const noexcept { return task_factory_; }

  /// The task running on this loop right now, or null between tasks.
  detail::TaskCore* current_task() const noexcept { return current_task_; }
  /// Every task of this loop that is not done yet.
  std::vector<detail::TaskCore*> all_tasks() const;

  // ---- errors ---------------------------------------------------------------

  using ExceptionHandler = std::function<void(EventLoop&, const ExceptionContext&)>;
  void set_exception_handler(ExceptionHandler handler) { exception_handler_ = std::move(handler); }
  const ExceptionHandler& get_exception_handler() const noexcept { return exception_handler_; }
  /// Report an error through the handler (or the default one). Never throws.
  void call_exception_handler(const ExceptionContext& context) noexcept;
  /// Writes the context to stderr the way asyncio's logger does. (Static: a
  /// future that outlived its loop reports here.)
  static void default_exception_handler(const ExceptionContext& context) noexcept;

  // ---- debug mode -----------------------------------------------------------

  void set_debug(bool enabled) noexcept { debug_ = enabled; }
  bool get_debug() const noexcept { return debug_; }
  /// In debug mode, callbacks and task steps running longer than this many
  /// seconds are reported, naming the task and where it resumed.
  double slow_callback_duration = 0.1;

  // ---- executor (see executor.hpp) -----------------------------------------

  void set_default_executor(std::shared_ptr<Executor> executor);
  /// The executor run_in_executor uses when given none; created on first use.
  Executor& default_executor();
  /// Wait (blocking) for the default executor's jobs and stop its threads.
  /// Without blocking: shutdown_default_executor(loop) in executor.hpp.
  void shutdown_default_executor();

  // ---- async generators (see async_generator.hpp) ----------------------------

  /// asyncio's loop.shutdown_asyncgens(): aclose() every async generator that
  /// started on this loop and has not finished, each in a task of its own,
  /// and report the failures to the exception handler. Runner::close() runs
  /// it after cancelling the remaining tasks, as asyncio.run() does.
  Task<void> shutdown_asyncgens();
  /// The first step of an async generator on this loop (asyncio's firstiter
  /// hook) and its end; called by AsyncGenerator.
  void register_asyncgen(detail::AsyncGenEntry& entry) noexcept {
    asyncgens_.push_back(&entry);
    ++asyncgen_count_;
  }
  void forget_asyncgen(detail::AsyncGenEntry& entry) noexcept {
    asyncgens_.remove(&entry);
    --asyncgen_count_;
  }
  /// How many started async generators shutdown_asyncgens() would close.
  std::size_t asyncgen_count() const noexcept { return asyncgen_count_; }
  /// The default executor, or null if none was made yet.
  std::shared_ptr<Executor> default_executor_if_made() const noexcept { return default_executor_; }

  // ---- tracing --------------------------------------------------------------

  /// Record loop events into `tracer` (null turns tracing off). The loop does
  /// not own the tracer.
  void set_tracer(Tracer* tracer) noexcept { tracer_ = tracer; }
  Tracer* tracer() const noexcept { return tracer_; }
  void trace(TraceKind kind, std::uint64_t id, std::string name, std::string detail = {});

  Host& host() noexcept { return *host_; }

  // ---- for the implementation of futures, tasks and hosts ------------------

  /// What futures bound to this loop hold (see detail/loop_anchor.hpp).
  detail::LoopAnchor* anchor() const noexcept { return anchor_; }
  /// Puts an item on the ready queue (no allocation). The loop thread only.
  AIO_HOT void push_ready(detail::ReadyItem* item) noexcept { ready_.push(item); }
  // Inline (task.hpp) for the common case: no tracer, no debug mode.
  AIO_HOT void enter_task(detail::TaskCore* task);
  AIO_HOT void leave_task(detail::TaskCore* task) noexcept;
  void enter_task_slow(detail::TaskCore* task);
  void leave_task_slow(detail::TaskCore* task) noexcept;
  void register_task(detail::TaskCore* task) noexcept;
  void unregister_task(detail::TaskCore* task) noexcept;
  std::uint64_t next_task_number() noexcept { return ++task_counter_; }
  /// Work running outside the loop (an executor job) that will come back with
  /// call_soon_threadsafe: the virtual clock must not jump while it runs.
  void begin_external_work() noexcept { external_work_.fetch_add(1, std::memory_order_relaxed); }
  void end_external_work() noexcept { external_work_.fetch_sub(1, std::memory_order_relaxed); }
  bool has_external_work() const noexcept { return external_work_.load(std::memory_order_relaxed) != 0; }
  /// Outside work that may itself be waiting on this loop: a JS promise a
  /// task awaits can be an async function awaiting the loop's own tasks, so
  /// waiting for it before a jump of the virtual clock could wait forever.
  /// Counted as outside work (no jump at once: it may settle on its own),
  /// except in an iteration the host allowed with jump_over_external_waits()
  /// after giving the outside world its turn.
  void begin_external_wait() noexcept {
    external_waits_.fetch_add(1, std::memory_order_relaxed);
    begin_external_work();
  }
  void end_external_wait() noexcept {
    end_external_work();
    external_waits_.fetch_sub(1, std::memory_order_relaxed);
  }
  /// Outside work is in flight and all of it is external waits.
  bool only_external_waits() const noexcept {
    int work = external_work_.load(std::memory_order_relaxed);
    return work != 0 && work == external_waits_.load(std::memory_order_relaxed);
  }
  /// On the virtual clock: if the next iteration finds nothing ready and
  /// only external waits in flight, it jumps to the next timer all the same
  /// (once; iterations after it wait for outside work again).
  void jump_over_external_waits() noexcept { jump_over_waits_ = true; }
  /// Raises RuntimeError if the loop is closed.
  void check_closed() const;
  /// Raises RuntimeError if this loop, or another one, is running on this
  /// thread (asyncio's _check_running): run_forever() would refuse to start.
  void check_running() const;
  /// Number of timers in the heap (cancelled ones included until dropped).
  std::size_t scheduled_timer_count() const noexcept { return scheduled_.size(); }
  std::size_t ready_count() const noexcept { return ready_.size(); }
  void timer_handle_cancelled(detail::HandleState* handle) noexcept;
  /// The sequence number of the next callback handle (trace ids).
  std::uint64_t next_handle_seq() noexcept { return ++handle_counter_; }
  /// Runs a done callback queued without a Handle (see HeapCallbackNode) as
  /// run_handle runs a handle's: traced, timed in debug mode, errors reported.
  void run_done_callback(void (*invoke)(detail::DoneCallbackNode*, detail::FutureCore&),
                         detail::DoneCallbackNode* node, detail::FutureCore& core, std::uint64_t seq);
  void run_handle(detail::HandleState* handle);

 private:
  friend class detail::HandleState;
  friend class detail::TaskCore;  // on_ready and the eager step: see task.cpp
  friend struct detail::FrameTimer;
  friend class Handle;
  friend Future<void> shutdown_default_executor(EventLoop& loop);  // the joiner below
#if AIO_HAS_THREADS
  // For shutdown_default_executor(loop): how to wait for the thread it joins
  // the workers on, which close() (and the blocking shutdown) call first.
  // That thread hands its result to this loop, so the loop must outlive it
  // even when nobody awaits it to the end (a timeout).
  void set_executor_joiner(std::function<void()> join) { executor_joiner_ = std::move(join); }
  std::function<void()> take_executor_joiner() noexcept { return std::exchange(executor_joiner_, nullptr); }
#endif
  // Whether `loop` points at a loop not destroyed yet: for a TimerHandle
  // cancelled after its loop was destroyed (it traces its cancel through the
  // loop only if there still is one), and Handle::get_loop(). A loop built
  // at the address of a destroyed one would receive that trace event:
  // memory-safe, and rare.
  static bool alive(const EventLoop* loop) noexcept;
  // TimerHandle.cancel()'s bookkeeping, for a handle or a frame timer.
  void timer_cancelled(bool in_heap, std::uint64_t seq, const char* label) noexcept;
#if AIO_HAS_CONTEXTVARS
  // `capture`: run the callback in a copy of the current context, unless
  // that is empty (asyncio's Handle(context=None)). False for a callback
  // bound to a context already.
  detail::HandleState* schedule_soon(detail::Callback fn, const char* label, bool capture = true);
  detail::HandleState* schedule_at(double when, detail::Callback fn, const char* label, bool capture = true);
  detail::HandleState* schedule_threadsafe(detail::Callback fn, const char* label, bool capture = true);
  template <class F>
  static detail::Callback bind_context(const Context& context, F&& fn) {
    return detail::Callback(
        detail::ContextBound<std::decay_t<F>>{detail::ContextRef(context.state()), std::forward<F>(fn)});
  }
#else
  detail::HandleState* schedule_soon(detail::Callback fn, const char* label);
  detail::HandleState* schedule_at(double when, detail::Callback fn, const char* label);
  detail::HandleState* schedule_threadsafe(detail::Callback fn, const char* label);
#endif
  void drain_threadsafe();
  void check_thread() const;
  struct TimerEntry;
  void heap_push(TimerEntry entry);
  TimerEntry heap_pop();
  void heap_sift_down(std::size_t startpos, std::size_t pos);
  void heap_sift_up(std::size_t pos);
  // Runs up to `ntodo` ready items (run_once's inner loop). Defined in
  // task.cpp, beside the task's step, so that the step inlines into it.
  void run_ready(std::size_t ntodo);
  void destroy_pending();
  void drop_ready() noexcept;

  detail::ReadyQueue ready_;
  // The timer heap, ordered like heapq. Each entry carries its deadline, so
  // sifting compares entries in the vector instead of chasing a pointer to
  // every handle it passes. An entry is a TimerHandle's state, or (low bit
  // set) the slot of a frame timer: see detail::FrameTimer.
  struct TimerEntry {
    detail::HandleTime when;
    std::uintptr_t item;
  };
  static bool is_slot(const TimerEntry& e) noexcept { return e.item & 1; }
  static detail::HandleState* handle_of(const TimerEntry& e) noexcept {
    return reinterpret_cast<detail::HandleState*>(e.item);
  }
  static std::uint32_t slot_of(const TimerEntry& e) noexcept { return static_cast<std::uint32_t>(e.item >> 1); }
  bool entry_cancelled(const TimerEntry& e) const noexcept;
  void drop_entry(const TimerEntry& e) noexcept;
  detail::ReadyItem* fire_entry(const TimerEntry& e);
  detail::HugeVector<TimerEntry> scheduled_;  // on huge pages once big: see detail/huge_pages.hpp
  std::size_t timer_cancelled_count_ = 0;
  // Frame timers in the heap: a slot holds the timer, null once the timer
  // went away (its entry is then a cancelled one), or, free, the next free
  // slot (index * 2 + 1). The heap's entries own the slots.
  detail::HugeVector<std::uintptr_t> frame_timer_slots_;
  static constexpr std::uint32_t kNoSlot = 0x7fffffff;  // slots are 31-bit (tagged)
  std::uint32_t free_slot_ = kNoSlot;
  std::uint32_t take_slot(detail::FrameTimer* timer);
  void free_slot(std::uint32_t slot) noexcept {
    frame_timer_slots_[slot] = (std::uintptr_t(free_slot_) << 1) | 1;
    free_slot_ = slot;
  }
  detail::FrameTimer* slot_timer(std::uint32_t slot) const noexcept {
    return reinterpret_cast<detail::FrameTimer*>(frame_timer_slots_[slot]);
  }
  static void run_frame_timer(detail::ReadyItem* item);

  Clock clock_;
  double virtual_now_ = 0;
  bool debug_ = false;
  bool stopping_ = false;
  bool running_ = false;
  bool closed_ = false;
  std::unique_ptr<Host> host_;
  detail::LoopAnchor* anchor_;  // cleared, and freed by the last future, when the loop goes
  std::thread::id thread_id_{};

  std::mutex threadsafe_mutex_;
  std::vector<detail::HandleState*> threadsafe_;
  bool threadsafe_closed_ = false;  // guarded by threadsafe_mutex_
  std::atomic<bool> has_threadsafe_{false};
  std::atomic<int> external_work_{0};
  std::atomic<int> external_waits_{0};  // the part of external_work_ that may wait on the loop
  bool jump_over_waits_ = false;        // see jump_over_external_waits()

  detail::TaskCore* current_task_ = nullptr;
  detail::IntrusiveList<detail::TaskCore> tasks_;  // pending tasks, oldest first (strong refs)
  double step_started_ = 0;  // debug mode: when the running task step began
  std::size_t task_count_ = 0;
  std::uint64_t task_counter_ = 0;
  std::uint64_t handle_counter_ = 0;  // HandleState::seq, assigned on the loop thread

  ExceptionHandler exception_handler_;
  TaskFactory task_factory_;
  std::shared_ptr<Executor> default_executor_;
#if AIO_HAS_THREADS
  std::function<void()> executor_joiner_;  // see set_executor_joiner
#endif
  Tracer* tracer_ = nullptr;
  // Started generators in the order they started (entries owned by them).
  detail::IntrusiveList<detail::AsyncGenEntry> asyncgens_;
  std::size_t asyncgen_count_ = 0;
};

/// The loop running on this thread; RuntimeError("no running event loop") if
/// there is none.
EventLoop& get_running_loop();
/// The loop running on this thread, or null.
EventLoop* try_get_running_loop() noexcept;

}  // namespace aio
