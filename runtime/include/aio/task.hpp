#pragma once
/// aio::Task<T>: the coroutine type, and asyncio.Task.
///
/// A function returning `aio::Task<T>` is a coroutine. Calling it creates a
/// coroutine object that has not started (like calling an `async def`). Then
/// either
///   - `co_await f()` runs it inline, inside the current task, as `await f()`
///     does in asyncio: no trip through the event loop; or
///   - `aio::create_task(f())` schedules it as a task of its own, which runs
///     concurrently and is itself a future: awaiting it waits for its result.
///
/// The loop keeps every pending task alive, so a task whose handle is dropped
/// still runs to completion. Cancelling a task raises CancelledError at the
/// await point where it is suspended; the task can catch it to clean up.
///
/// Implementation notes (see runtime/docs/design.md): coroutines never resume
/// each other directly (no symmetric transfer: Emscripten 3.1.6 leaks wasm
/// stack with it). A nested coroutine that finishes after a suspension records
/// its parent in the task, and the task's step resumes the parent in the same
/// step, which is also what keeps asyncio's callback order.
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "aio/config.hpp"
#include "aio/coro.hpp"
#include "aio/detail/intrusive_list.hpp"
#include "aio/errors.hpp"
#include "aio/event_loop.hpp"
#include "aio/future.hpp"

namespace aio {
namespace detail {

/// Where a coroutine is suspended: the function and line of its co_await.
struct FrameInfo {
  const char* function = "";
  std::uint32_t line = 0;
};

// Per-thread: the task whose step is running (asyncio's _current_tasks).
extern thread_local constinit TaskCore* t_current_task;

[[noreturn]] void throw_no_current_task();

/// The task currently running on this thread; RuntimeError if none (awaiting
/// outside a task). Inline: every suspension asks for it.
AIO_HOT TaskCore& current_task_or_throw() {
  if (!t_current_task) [[unlikely]]
    throw_no_current_task();
  return *t_current_task;
}

// The state of every coroutine frame. A frame scheduled with create_task is a
// task (a future); a frame awaited inline is a nested coroutine of some task.
class TaskCore;

/// A primitive that tasks wait on without a future each (Event): the parked
/// tasks form a FIFO threaded through their own ready links, so a waiting
/// task costs the primitive no memory at all. Cancelling a parked task takes
/// it out of the lot and wakes it (asyncio: the waiter's future is cancelled).
///
/// A lot is one pointer: every sleeping coroutine holds one in its frame
/// (aio::sleep's), and in wasm32 a frame is allocated in 8-byte steps, so
/// the 8 bytes a head pointer and a vtable cost made the timers workload's
/// frame 144 bytes instead of 136. Hence a circular list reached from its
/// newest task (whose link is the oldest), and no virtual function:
/// a lot that must hear of a task destroyed while parked is a CountingLot.
class ParkingLot {
 public:
  ParkingLot() = default;
  ParkingLot(const ParkingLot&) = delete;
  ParkingLot& operator=(const ParkingLot&) = delete;
  bool has_parked() const noexcept { return tail_ != nullptr; }

 protected:
  /// Parked tasks are detached, not woken: they stay suspended.
  ~ParkingLot();
  /// Wake every parked task, oldest first; each resumes on a later iteration
  /// (one trip through the ready queue, like a future's done callback).
  void unpark_all() noexcept;

 private:
  friend class TaskCore;
  void push(TaskCore* t) noexcept;
  bool remove(TaskCore* t) noexcept;  // O(n), as asyncio's deque.remove()
  static TaskCore* next_parked(TaskCore* t) noexcept;
  TaskCore* tail_ = nullptr;  // the newest; its link is the oldest
};

/// A ParkingLot that counts its waiters (Event: asyncio's len(_waiters)).
/// The waiter's awaiter counts and uncounts itself; a task destroyed while
/// parked here (its loop torn down) is uncounted by the task.
class CountingLot : public ParkingLot {
 protected:
  std::size_t waiters_ = 0;

 private:
  friend class TaskCore;
};

class TaskCore : public FutureCore, private DoneCallbackNode {
 public:
  enum class Phase : std::uint8_t { created, nested, task };

  TaskCore() noexcept;

  // ---- Task API (asyncio.Task) ----
  bool cancel(std::string msg = {}) override;
  int cancelling() const noexcept { return num_cancels_requested_; }
  int uncancel() noexcept {
    if (num_cancels_requested_ > 0) --num_cancels_requested_;
    return num_cancels_requested_;
  }
  std::string get_name() const;
  void set_name(std::string name);
  std::uint64_t id() const noexcept { return id_; }
  /// Function and line of each coroutine in the await chain of a suspended
  /// task, outermost first; with `limit`, only the innermost `limit` of them
  /// (asyncio's get_stack(limit=): "the newest frames of a stack").
  std::vector<FrameInfo> get_stack(int limit = -1) const;
  /// asyncio's Task.print_stack: the await chain of a pending task (at most
  /// `limit` frames when limit >= 0), or the exception of one that failed,
  /// written to `file`.
  void print_stack(int limit, std::FILE* file) const;
  /// What the task is waiting on ("sleep", "future", "lock", ...), if suspended.
  const char* waiting_on() const noexcept { return phase() == Phase::task ? waiting_on_ : nullptr; }
  std::string describe() const override;
  Phase phase() const noexcept { return static_cast<Phase>(task_phase_); }

  // ---- machinery used by awaiters ----

  /// Start as a task on `loop`: register it and schedule its first step.
  void start_task(EventLoop& loop);
  void start_task(EventLoop& loop, std::string name);
  /// The same with create_task's `eager_start=` (aio/eager_task.hpp): it
  /// overrides what the loop's task factory asked for.
  void start_task(EventLoop& loop, std::string name, bool eager_start);
  /// For a task factory (EventLoop::set_task_factory): run this task's first
  /// step inside create_task, as asyncio's `eager_start=True` does, if the
  /// loop is running. InvalidStateError outside a task factory's call.
  void set_eager_start(bool eager);
  /// Schedule the next step (asyncio: call_soon(self.__step)).
  AIO_HOT void schedule_step() noexcept;
  /// Suspend the task at `h` until `fut` is done (asyncio: fut.add_done_callback(self.__wakeup)).
  void wait_on(coro::coroutine_handle<> h, FutureCore& fut, const char* what);
  /// Suspend at `h`; the caller arranges for schedule_step() (bare `yield`).
  AIO_HOT void suspend_at(coro::coroutine_handle<> h, const char* what) noexcept;
  /// Called by awaiters when the task resumes: if a cancellation is pending
  /// (must_cancel), raise CancelledError here.
  AIO_HOT void throw_if_cancel_requested() {
    if (must_cancel_) [[unlikely]]
      throw_cancel_requested();
  }
  /// Like throw_if_cancel_requested, but a cancelled `fut` raises its own
  /// CancelledError (asyncio's __wakeup + __step(exc)).
  void throw_if_cancel_requested(FutureCore& fut);
  /// The future this task waits on, if any.
  FutureCore* fut_waiter() const noexcept { return parked_ ? nullptr : fut_waiter_; }
  /// Suspend the task at `h` in `lot` until the lot wakes it or the task is
  /// cancelled. On resumption call take_parked_cancel() first.
  void park(coro::coroutine_handle<> h, ParkingLot& lot, const char* what) noexcept;
  void park(coro::coroutine_handle<> h, CountingLot& lot, const char* what) noexcept;
  /// True (once) if the parked wait ended because the task was cancelled:
  /// the awaiter then raises CancelledError(cancel_message()).
  /// True (once) if the task resumes from a park(): tells a parking awaiter
  /// whether it suspended, without a flag of its own in the frame.
  bool take_parked_wait() noexcept {
    bool w = parked_wait_;
    parked_wait_ = false;
    return w;
  }
  bool take_parked_cancel() noexcept {
    bool c = parked_cancelled_;
    parked_cancelled_ = false;
    return c;
  }

  /// This frame's coroutine handle. Not virtual: every aio promise puts its
  /// TaskCore where a TaskCore promise would sit (see PromiseBase), so the
  /// frame is a fixed distance from here, as frame_of() assumes the other way.
  AIO_HOT coro::coroutine_handle<> handle() noexcept { return coro::coroutine_handle<TaskCore>::from_promise(*this); }

  // Nested-coroutine bookkeeping, see InlineAwaiter. A frame knows the frame
  // that awaits it; the task (the outermost frame) knows the frame suspended
  // deepest, which is where its next step resumes. The task a frame runs in
  // is always t_current_task while it runs, so it is not stored.
  TaskCore* innermost_ = nullptr;  // a task: the frame its next step resumes
  union {
    TaskCore* parent_frame_;   // a nested frame: the frame awaiting it
    const char* waiting_on_;   // a task: what it is suspended on
  };
  const char* where_function_ = "";  // the co_await this frame is suspended at
  std::uint16_t where_line_ = 0;     // (line numbers past 65535 read as 65535)

  void step();
  /// Drops the ready queue's reference without running the step (loop close).
  static void release_step(ReadyItem* item) noexcept { static_cast<TaskCore*>(item)->release(); }
  void finish_root() noexcept;
  /// Bind an unstarted frame to the current task, awaited by `parent`.
  void start_nested(coro::coroutine_handle<> parent) noexcept;
  /// After a nested frame finished: rethrow its exception, if any.
  void rethrow_nested();
  /// A finished nested frame's exception, taken out (null if none).
  std::exception_ptr take_nested_exception() noexcept { return std::exchange(exc_, nullptr); }
  void cancel_before_start();
  /// Hand control back to the awaiting frame after this nested frame returned
  /// or yielded: inline if it never suspended, else through the task's step.
  void return_to_parent() noexcept;
  bool inline_phase() const noexcept { return inline_phase_; }
  bool done_inline() const noexcept { return done_inline_; }
  void end_inline_phase() noexcept { inline_phase_ = false; }

  /// The run function of every task's link (see DoneCallbackNode).
  static void on_ready(ReadyItem* item);
  /// What on_ready does, inline: EventLoop::run_ready runs task steps with it.
  static void run_ready_step(ReadyItem* item);

 protected:
  ~TaskCore() override;
  void report_on_destroy() noexcept override;
  // Who decides on eager start: the loop's task factory (create_task without
  // eager_start=), or create_task's eager_start=True / False.
  enum class EagerChoice : std::uint8_t { factory, eager, lazy };
  void start_task_named(EventLoop& loop, std::string* name, EagerChoice choice);
  void begin_task(EventLoop& loop, std::string* name);
  void call_task_factory(EventLoop& loop);
  void schedule_first_step(EventLoop& loop);
  void start_eagerly(EventLoop& loop);
  void eager_step(EventLoop& loop);
  void resume_innermost();
  [[noreturn]] void throw_cancel_requested();

  std::uint16_t num_cancels_requested_ = 0;  // saturates at 65535
  std::uint32_t id_ = 0;                     // N of "Task-N"; wraps after 2^32 unnamed tasks
  union {
    FutureCore* fut_waiter_ = nullptr;  // the future the task waits on (a reference)
    ParkingLot* parked_on_;             // or, when parked_, the lot it waits in
  };
  friend class ParkingLot;
  void unpark() noexcept;

 public:
  IntrusiveListHook<TaskCore> list_hook;  // EventLoop's list of pending tasks
#if AIO_HAS_CONTEXTVARS
  // The context the task's steps run in (asyncio's Task._context), or null
  // while it is empty (aio/detail/context.hpp). Always null in a nested
  // frame, which runs in its task's.
  ContextState* context() const noexcept {
    Cold* c = find_cold();
    return c ? c->context : nullptr;
  }
  // Where ContextVar.set() makes the task's context when it has none yet.
  ContextState** context_slot() { return &cold().context; }
  // create_task's `context=`: share `s` instead of copying the current one.
  void set_context(ContextState* s) {
    context_add_ref(s);
    if (ContextState* old = std::exchange(cold().context, s)) context_release(old);
  }
#endif
};

// Per-thread trampoline register: a nested frame that finished (or yielded)
// after a suspension leaves its parent here, and the task's step resumes it.
extern thread_local constinit coro::coroutine_handle<> t_continue_with;

/// The frame state of a suspended aio coroutine, from its type-erased
/// handle. Valid for handles of aio coroutines only (Task, AsyncGenerator):
/// their promises all start with a TaskCore at the same offset (asserted in
/// PromiseBase::handle()).
AIO_HOT TaskCore& frame_of(coro::coroutine_handle<> h) noexcept {
  return coro::coroutine_handle<TaskCore>::from_address(h.address()).promise();
}

AIO_HOT void TaskCore::schedule_step() noexcept {
  // Only a started task is ever scheduled, so it has an anchor; one woken
  // after its loop was destroyed (an Event set by someone else) has nowhere
  // to run.
  EventLoop* l = anchor_->loop;
  if (!l) [[unlikely]]
    return;
  add_ref();  // the ready queue's reference, released after the step
  l->push_ready(static_cast<ReadyItem*>(this));
}

AIO_HOT void TaskCore::suspend_at(coro::coroutine_handle<> h, const char* what) noexcept {
  waiting_on_ = what;
  innermost_ = &frame_of(h);
}

template <class T>
class TaskPromise;

// Awaits a done-or-pending future from inside a task. `Core` is the
// concrete state type (FutureState<T>, TaskPromise<T>, ...), which holds the
// value; keeping only a pointer to it keeps the awaiter, which lives in the
// awaiting coroutine's frame, at 16 bytes.
template <class T, bool Move, class Core>
struct FutureAwaiter {
  Core* fut;
  bool suspended = false;

  bool await_ready() const noexcept { return fut->done(); }
  void await_suspend(coro::coroutine_handle<> h) {
    current_task_or_throw().wait_on(h, *fut, fut->is_task() ? "task" : "future");
    suspended = true;
  }
  T await_resume() {
    // A future that was done when awaited returns without suspending, and
    // then a pending cancellation waits for the next suspension (asyncio).
    if (suspended) t_current_task->throw_if_cancel_requested(*fut);
    fut->check_result();
    if constexpr (std::is_void_v<T>)
      return;
    else if constexpr (Move)
      return static_cast<ValueStorage<T>*>(fut)->take();
    else
      return static_cast<const ValueStorage<T>*>(fut)->get();
  }
};

// Runs an unstarted coroutine inside the current task (asyncio's `await coro`).
template <class T>
struct InlineAwaiter {
  TaskPromise<T>* child;

  bool await_ready() const noexcept { return false; }
  bool await_suspend(coro::coroutine_handle<> parent);
  T await_resume();
};

// Final suspension of every frame: a task completes its future; a nested
// frame hands control back to its parent (inline, or through the task's step).
struct FinalAwaiter {
  bool await_ready() const noexcept { return false; }
  template <class P>
  void await_suspend(coro::coroutine_handle<P> h) noexcept {
    TaskCore& p = h.promise();
    if (p.phase() == TaskCore::Phase::task)
      p.finish_root();
    else
      p.return_to_parent();
  }
  void await_resume() const noexcept {}
};

template <class Derived>
struct PromiseBase : TaskCore {
  coro::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { exc_ = std::current_exception(); }

  // Every co_await in the body passes through here: remember where the
  // coroutine is suspended, for get_stack() and debug messages.
  // Every awaitable, temporary or not, is awaited in place and returned by
  // reference. A temporary (`co_await sleep(d)`, `co_await child()`) lives
  // to the end of the full-expression that holds the co_await, so across
  // the suspension, and it is in the frame already; returning it by value
  // would make the frame hold a second, moved-to copy (SleepAwaiter is 32
  // bytes in wasm32), and every byte of a frame is a page touched per task.
  template <class A>
  AIO_HOT A&& await_transform(A&& awaitable, const char* function = __builtin_FUNCTION(),
                              unsigned line = __builtin_LINE()) noexcept {
    note_await(function, line);
    return static_cast<A&&>(awaitable);
  }
  AIO_HOT void note_await(const char* function, unsigned line) noexcept {
    where_function_ = function;
    where_line_ = static_cast<std::uint16_t>(line < 65535 ? line : 65535);
  }

  void destroy() noexcept override { own_handle().destroy(); }
  coro::coroutine_handle<Derived> own_handle() noexcept {
    // frame_of() and TaskCore::handle() rely on every aio promise sitting
    // where a TaskCore promise would: TaskCore first (the first base of
    // Derived), right after the frame's two function pointers.
    // Both compilers put the promise at offset alignTo(2 pointers, alignment),
    // which is the same for any alignment up to two pointers (so `long long`
    // results are fine on 32-bit WebAssembly, whose pointers are 4 bytes).
    // Forcing TaskCore itself to 8 there instead trips a clang 14 bug: frames
    // of over-aligned promises crash at -Os under Emscripten 3.1.6.
    static_assert(alignof(Derived) <= 2 * sizeof(void*), "over-aligned coroutine result types are not supported");
    return coro::coroutine_handle<Derived>::from_promise(static_cast<Derived&>(*this));
  }
};

template <class T>
class TaskPromise final : public PromiseBase<TaskPromise<T>>, public ValueStorage<T> {
 public:
  Task<T> get_return_object() noexcept;
  template <class U>
  void return_value(U&& v) {
    this->store(std::forward<U>(v));
  }
};
template <>
class TaskPromise<void> final : public PromiseBase<TaskPromise<void>>, public ValueStorage<void> {
 public:
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
};

[[noreturn]] void throw_reused_coroutine();
[[noreturn]] void throw_invalid_set(const FutureCore& f);

}  // namespace detail

/// The coroutine type and asyncio.Task. See the top of this header.
template <class T = void>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::TaskPromise<T>;
  using value_type = T;

  Task() noexcept = default;
  Task(const Task& o) noexcept : p_(o.p_) {
    if (p_) p_->add_ref();
  }
  Task(Task&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  Task& operator=(Task o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~Task() {
    if (p_) p_->release();
  }
  static Task from_core(detail::FutureCore* core) noexcept {
    core->add_ref();
    return Task(static_cast<promise_type*>(core));
  }

  // ---- asyncio.Task / asyncio.Future API ----
  bool done() const noexcept { return p_->done(); }
  bool cancelled() const noexcept { return p_->cancelled(); }
  decltype(auto) result() const {
    p_->check_result();
    if constexpr (!std::is_void_v<T>) return p_->get();
  }
  std::exception_ptr exception() const { return p_->exception(); }
  /// Request cancellation: CancelledError is raised at the task's current
  /// await point on its next step. Returns false if the task is done.
  bool cancel(std::string msg = {}) { return p_->cancel(std::move(msg)); }
  int cancelling() const noexcept { return p_->cancelling(); }
  int uncancel() noexcept { return p_->uncancel(); }
  std::string get_name() const { return p_->get_name(); }
  void set_name(std::string name) { p_->set_name(std::move(name)); }
  /// With `limit`, at most the innermost `limit` frames (asyncio's get_stack(limit=)).
  std::vector<detail::FrameInfo> get_stack(int limit = -1) const { return p_->get_stack(limit); }
  /// asyncio's print_stack(): "Stack for <Task pending ...>" and the chain of
  /// awaits, outermost first (a failed task: "Traceback for ..." and its
  /// exception; otherwise "No stack for ...").
  void print_stack(std::FILE* file = stderr) const { p_->print_stack(-1, file); }
  /// The same with at most `limit` frames (asyncio's print_stack(limit=)).
  void print_stack(int limit, std::FILE* file = stderr) const { p_->print_stack(limit, file); }
  EventLoop& get_loop() const { return p_->bound_loop(); }
  template <class F>
  std::uint64_t add_done_callback(F fn) {
    return detail::add_user_done_callback<Task>(*p_, std::move(fn));
  }
#if AIO_HAS_CONTEXTVARS
  /// With asyncio's `context=`: `fn` runs in `context` itself.
  template <class F>
  std::uint64_t add_done_callback(F fn, const Context& context) {
    return detail::add_user_done_callback<Task>(*p_, std::move(fn), context);
  }
#endif
  std::size_t remove_done_callback(std::uint64_t id) noexcept { return p_->remove_callback_id(id); }

  /// True once the coroutine was scheduled as a task (not just created).
  bool is_task() const noexcept { return p_->phase() == detail::TaskCore::Phase::task; }
  detail::TaskCore& core() const noexcept { return *p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  bool operator==(const Task& o) const noexcept { return p_ == o.p_; }

  /// An unstarted coroutine runs inline; a task is awaited like a future.
  auto operator co_await() & noexcept { return Awaiter<false>{p_}; }
  auto operator co_await() && noexcept { return Awaiter<true>{p_}; }

 private:
  friend promise_type;
  explicit Task(promise_type* p) noexcept : p_(p) {}

  // An unstarted coroutine runs inline (InlineAwaiter); a task is awaited as
  // a future (FutureAwaiter). Which one is decided when the co_await starts.
  template <bool Move>
  struct Awaiter {
    promise_type* p;
    bool is_inline;
    bool suspended = false;
    explicit Awaiter(promise_type* p) : p(p), is_inline(p->phase() == detail::TaskCore::Phase::created) {}
    bool await_ready() const {
      // A coroutine that already ran inline is not a task: nothing to wait for.
      if (p->phase() == detail::TaskCore::Phase::nested) detail::throw_reused_coroutine();
      return !is_inline && p->done();
    }
    bool await_suspend(coro::coroutine_handle<> h) {
      if (is_inline) return detail::InlineAwaiter<T>{p}.await_suspend(h);
      detail::FutureAwaiter<T, Move, promise_type> f{p};
      f.await_suspend(h);
      suspended = true;
      return true;
    }
    T await_resume() {
      if (is_inline) return detail::InlineAwaiter<T>{p}.await_resume();
      return detail::FutureAwaiter<T, Move, promise_type>{p, suspended}.await_resume();
    }
  };

  promise_type* p_ = nullptr;
};

// ---- definitions ------------------------------------------------------------

AIO_HOT void EventLoop::enter_task(detail::TaskCore* task) {
  if (current_task_ || tracer_ || debug_) [[unlikely]] {
    enter_task_slow(task);
    return;
  }
  current_task_ = task;
  detail::t_current_task = task;
}

AIO_HOT void EventLoop::leave_task(detail::TaskCore* task) noexcept {
  if (tracer_ || debug_) [[unlikely]] {
    leave_task_slow(task);
    return;
  }
  current_task_ = nullptr;
  detail::t_current_task = nullptr;
}

namespace detail {

template <class T>
Task<T> TaskPromise<T>::get_return_object() noexcept {
  return Task<T>(this);
}
inline Task<void> TaskPromise<void>::get_return_object() noexcept { return Task<void>(this); }

template <class T>
bool InlineAwaiter<T>::await_suspend(coro::coroutine_handle<> parent) {
  current_task_or_throw();
  if (child->phase() != TaskCore::Phase::created) throw_reused_coroutine();
  child->start_nested(parent);
  child->handle().resume();  // runs until its first suspension or until it returns
  child->end_inline_phase();
  return !child->done_inline();
}

template <class T>
T InlineAwaiter<T>::await_resume() {
  child->rethrow_nested();
  if constexpr (!std::is_void_v<T>) return child->take();
}

}  // namespace detail

template <class T>
auto Future<T>::operator co_await() const& noexcept {
  return detail::FutureAwaiter<T, false, detail::FutureState<T>>{s_};
}
template <class T>
auto Future<T>::operator co_await() && noexcept {
  // Copies too: other handles to the same future may still read the value.
  return detail::FutureAwaiter<T, false, detail::FutureState<T>>{s_};
}

namespace detail {
// `co_await fut` that names what the task waits on ("lock", "queue.get",
// "fetch", ...) where the trace, and so the playground's timeline, would
// say "future": the primitives built on futures, as asyncio's are.
template <class T>
struct NamedFutureAwaiter : FutureAwaiter<T, false, FutureState<T>> {
  const char* what;
  NamedFutureAwaiter(FutureAwaiter<T, false, FutureState<T>> base, const char* w) noexcept
      : FutureAwaiter<T, false, FutureState<T>>(base), what(w) {}
  void await_suspend(coro::coroutine_handle<> h) {
    current_task_or_throw().wait_on(h, *this->fut, what);
    this->suspended = true;
  }
};
template <class T>
NamedFutureAwaiter<T> await_as(const Future<T>& fut, const char* what) noexcept {
  return {fut.operator co_await(), what};
}
}  // namespace detail

template <class T>
[[noreturn]] void Future<T>::throw_invalid_set() const {
  detail::throw_invalid_set(*s_);
}

/// Schedule a coroutine on `loop` as a task.
template <class T>
Task<T> EventLoop::create_task(Task<T> coro) {
  check_closed();
  if (coro.core().phase() != detail::TaskCore::Phase::created) [[unlikely]] {
    if (coro.is_task()) return coro;  // already a task (ensure_future semantics)
    detail::throw_reused_coroutine();
  }
  coro.core().start_task(*this);
  return coro;
}
/// The same, naming the task (an empty name gives the default "Task-N").
template <class T>
Task<T> EventLoop::create_task(Task<T> coro, std::string name) {
  check_closed();
  if (coro.core().phase() != detail::TaskCore::Phase::created) {
    if (coro.is_task()) return coro;
    detail::throw_reused_coroutine();
  }
  coro.core().start_task(*this, std::move(name));
  return coro;
}

/// Schedule a coroutine as a task on the running loop (asyncio.create_task).
#if AIO_HAS_CONTEXTVARS
template <class T>
Task<T> EventLoop::create_task(Task<T> coro, std::string name, const Context& context) {
  // Before start_task, which would otherwise copy the current context. On a
  // closed loop the frame, and its reference, go with the exception.
  if (coro.core().phase() == detail::TaskCore::Phase::created) coro.core().set_context(context.state());
  return create_task(std::move(coro), std::move(name));
}
#endif

template <class T>
Task<T> create_task(Task<T> coro) {
  return get_running_loop().create_task(std::move(coro));
}
template <class T>
Task<T> create_task(Task<T> coro, std::string name) {
  return get_running_loop().create_task(std::move(coro), std::move(name));
}
#if AIO_HAS_CONTEXTVARS
/// asyncio.create_task(coro, name=..., context=...): see EventLoop::create_task.
template <class T>
Task<T> create_task(Task<T> coro, std::string name, const Context& context) {
  return get_running_loop().create_task(std::move(coro), std::move(name), context);
}
#endif

namespace detail {
/// asyncio's _wrap_awaitable: a coroutine that awaits `a` (taken by value:
/// the awaiters of sleep() and Event::wait() are small and are moved only
/// before they are awaited) and returns what it gives.
template <class A>
Task<await_result_t<A>> wrap_awaitable(A a) {
  if constexpr (std::is_void_v<await_result_t<A>>)
    co_await std::move(a);
  else
    co_return co_await std::move(a);
}

/// wrap_awaitable() of an argument: the awaiter is moved in (an lvalue
/// `auto s = aio::sleep(1); create_task(s);` is refused with a clear message).
template <class A>
Task<await_result_t<std::remove_cvref_t<A>>> wrap_awaitable_arg(A&& a) {
  static_assert(std::is_constructible_v<std::remove_cvref_t<A>, A&&>,
                "aio: this awaiter cannot be copied; pass it as it is made (aio::sleep(1), ev.wait()) "
                "or std::move() it: it moves into the task that awaits it");
  return wrap_awaitable(std::remove_cvref_t<A>(std::forward<A>(a)));
}
}  // namespace detail

template <class A>
  requires detail::BareAwaitable<std::remove_cvref_t<A>>
Task<detail::await_result_t<std::remove_cvref_t<A>>> EventLoop::create_task(A&& awaitable, std::string name) {
  check_closed();  // before the coroutine exists, as for a Task
  return create_task(detail::wrap_awaitable_arg(std::forward<A>(awaitable)), std::move(name));
}

/// Schedule `co_await awaitable` as a task on the running loop (for the
/// awaiters of aio::sleep(), Event::wait() and the like).
template <class A>
  requires detail::BareAwaitable<std::remove_cvref_t<A>>
Task<detail::await_result_t<std::remove_cvref_t<A>>> create_task(A&& awaitable, std::string name = {}) {
  return get_running_loop().create_task(std::forward<A>(awaitable), std::move(name));
}

/// A task for a coroutine, or the same task/future given one (asyncio.ensure_future).
template <class T>
Task<T> ensure_future(Task<T> t) {
  if (t.is_task()) return t;
  return create_task(std::move(t));
}
template <class T>
Future<T> ensure_future(Future<T> f) {
  return f;
}
/// A task awaiting any other awaitable (asyncio wraps it the same way).
template <class A>
  requires detail::BareAwaitable<std::remove_cvref_t<A>>
Task<detail::await_result_t<std::remove_cvref_t<A>>> ensure_future(A&& awaitable) {
  return create_task(std::forward<A>(awaitable));
}

/// A task of any result type: what current_task() and all_tasks() return.
/// Gives the Task API that does not depend on the result type.
class TaskRef {
 public:
  TaskRef() noexcept = default;
  explicit TaskRef(detail::TaskCore* t) noexcept : t_(t) {
    if (t_) t_->add_ref();
  }
  template <class T>
  TaskRef(const Task<T>& t) noexcept : TaskRef(&t.core()) {}  // NOLINT(google-explicit-constructor)
  TaskRef(const TaskRef& o) noexcept : TaskRef(o.t_) {}
  TaskRef(TaskRef&& o) noexcept : t_(std::exchange(o.t_, nullptr)) {}
  TaskRef& operator=(TaskRef o) noexcept {
    std::swap(t_, o.t_);
    return *this;
  }
  ~TaskRef() {
    if (t_) t_->release();
  }
  bool done() const noexcept { return t_->done(); }
  bool cancelled() const noexcept { return t_->cancelled(); }
  bool cancel(std::string msg = {}) { return t_->cancel(std::move(msg)); }
  int cancelling() const noexcept { return t_->cancelling(); }
  int uncancel() noexcept { return t_->uncancel(); }
  std::exception_ptr exception() const { return t_->exception(); }
  std::string get_name() const { return t_->get_name(); }
  void set_name(std::string name) { t_->set_name(std::move(name)); }
  std::vector<detail::FrameInfo> get_stack(int limit = -1) const { return t_->get_stack(limit); }
  void print_stack(std::FILE* file = stderr) const { t_->print_stack(-1, file); }
  void print_stack(int limit, std::FILE* file = stderr) const { t_->print_stack(limit, file); }
  EventLoop& get_loop() const { return t_->bound_loop(); }
  detail::TaskCore& core() const noexcept { return *t_; }
  explicit operator bool() const noexcept { return t_ != nullptr; }
  bool operator==(const TaskRef& o) const noexcept { return t_ == o.t_; }
  /// Wait for the task to finish; rethrows its exception (the value, whatever
  /// its type, is not available through a TaskRef).
  auto operator co_await() const noexcept { return detail::FutureAwaiter<void, false, detail::TaskCore>{t_}; }

 private:
  detail::TaskCore* t_ = nullptr;
};

/// The task running on this thread now, or an empty TaskRef outside any task.
TaskRef current_task();
/// The task `loop` is running now (asyncio's current_task(loop)), or an empty
/// TaskRef when it runs none (or is not running).
TaskRef current_task(EventLoop& loop);
/// The pending tasks of `loop` (default: the running loop), in creation order.
std::vector<TaskRef> all_tasks(EventLoop* loop = nullptr);

template <class R>
class GatheringFuture;

namespace detail {
template <class T>
Task<T> as_future(EventLoop& loop, Task<T> t) {
  return loop.create_task(std::move(t));
}
template <class T>
Future<T> as_future(EventLoop&, Future<T> f) {
  return f;
}
// gather()'s future (gather.hpp), which asyncio's run_until_complete accepts
// like any other future. Declared here because the call below is qualified
// (no argument-dependent lookup at instantiation).
template <class R>
GatheringFuture<R> as_future(EventLoop&, GatheringFuture<R> g) {
  return g;
}
template <class A>
  requires BareAwaitable<std::remove_cvref_t<A>>
auto as_future(EventLoop& loop, A&& awaitable) {
  return loop.create_task(std::forward<A>(awaitable));
}
}  // namespace detail

template <class A>
auto EventLoop::run_until_complete(A&& awaitable) {
  check_closed();
  // Before the awaitable is wrapped, as asyncio does: a coroutine given to a
  // loop that cannot run must not become a task that runs anyway later.
  check_running();
  auto fut = detail::as_future(*this, std::forward<A>(awaitable));
  using Fut = decltype(fut);
  using T = typename Fut::value_type;
  if (&fut.get_loop() != this)
    detail::throw_future_of_another_loop("run_until_complete() it on its own loop");
  // As asyncio: the loop stops from a done callback, one iteration after the
  // future completes, so callbacks already scheduled by then still run.
  auto id = fut.add_done_callback([](Fut& f) { f.get_loop().stop(); });
  struct RemoveCallback {
    Fut& f;
    std::uint64_t id;
    ~RemoveCallback() { f.remove_done_callback(id); }
  } remove{fut, id};
  run_forever();
  if (!fut.done()) throw RuntimeError("Event loop stopped before Future completed.");
  if constexpr (std::is_void_v<T>)
    fut.result();
  else
    return T(fut.result());
}

}  // namespace aio
