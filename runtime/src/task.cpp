#include "aio/task.hpp"

#include <algorithm>

#include "aio/detail/str_repr.hpp"
#include "context_state.hpp"

namespace aio {
namespace detail {

constinit thread_local TaskCore* t_current_task = nullptr;
constinit thread_local coro::coroutine_handle<> t_continue_with{};


void throw_no_current_task() {
  throw RuntimeError(
      "co_await outside of a task: run coroutines with aio::run(), loop.run_until_complete() or create_task()");
}

void throw_reused_coroutine() {
  throw RuntimeError("cannot reuse already awaited coroutine", "a coroutine object runs once; call the function again");
}

TaskCore::TaskCore() noexcept : FutureCore(nullptr), parent_frame_(nullptr) { run_ready = &TaskCore::on_ready; }

TaskCore::~TaskCore() {
  if (parked_) {
    parked_on_->remove(this);
    if (parked_counting_) --static_cast<CountingLot*>(parked_on_)->waiters_;
  } else if (fut_waiter_) {
    if (in_future_list_) fut_waiter_->remove_callback_node(static_cast<DoneCallbackNode*>(this));
    fut_waiter_->release();
  }
}

void TaskCore::report_on_destroy() noexcept {
  if (phase() == Phase::task && status_ == FutureStatus::pending) {
    ExceptionContext ctx;
    ctx.message = "Task was destroyed but it is pending!";
    ctx.task = get_name();
    report(ctx);
    return;
  }
  FutureCore::report_on_destroy();
}

std::string TaskCore::get_name() const {
  if (Cold* c = find_cold(); c && c->has_name) return c->name;
  return "Task-" + std::to_string(id_);
}

void TaskCore::set_name(std::string name) {
  Cold& c = cold();
  c.name = std::move(name);
  c.has_name = true;
}

std::string TaskCore::describe() const {
  std::string s = "<Task ";
  for (const char* c = status_name(status_); *c; ++c) s += static_cast<char>(*c - 'A' + 'a');
  s += " name=" + str_repr(get_name());  // Python's repr: name="it's"
  if (status_ == FutureStatus::pending && innermost_ && innermost_->where_line_) {
    s += std::string(" at ") + innermost_->where_function_ + ":" + std::to_string(innermost_->where_line_);
  }
  if (status_ == FutureStatus::finished && exc_) s += " exception=" + exception_repr(exc_);
  return s + ">";
}

std::vector<FrameInfo> TaskCore::get_stack(int limit) const {
  std::vector<FrameInfo> frames;
  if (done()) return frames;
  // Innermost first, so that a limit keeps the newest frames, as asyncio's.
  for (const TaskCore* f = innermost_ ? innermost_ : this; f && limit != 0;
       f = f->phase() == Phase::task ? nullptr : f->parent_frame_, --limit)
    frames.push_back(FrameInfo{f->where_function_, f->where_line_});
  std::reverse(frames.begin(), frames.end());
  return frames;
}

void TaskCore::print_stack(int limit, std::FILE* file) const {
  std::string out;
  if (!done()) {
    out = "Stack for " + describe() + " (most recent call last):\n";
    for (const FrameInfo& f : get_stack(limit))
      if (f.line) out += std::string("  line ") + std::to_string(f.line) + ", in " + f.function + "\n";
  } else if (status_ == FutureStatus::finished && exc_) {
    // No frames: a C++ exception carries no traceback.
    out = "Traceback for " + describe() + " (most recent call last):\n" + exception_type_name(exc_) + ": " +
          exception_message(exc_) + "\n";
  } else {
    out = "No stack for " + describe() + "\n";
  }
  std::fputs(out.c_str(), file);
  std::fflush(file);
}

AIO_HOT void TaskCore::begin_task(EventLoop& loop, std::string* name) {
  ensure_loop(&loop);
  task_phase_ = static_cast<std::uint8_t>(Phase::task);
  is_task_ = true;
  innermost_ = this;
  waiting_on_ = nullptr;
#if AIO_HAS_CONTEXTVARS
  // asyncio's Task.__init__: self._context = contextvars.copy_context(),
  // unless create_task was given one. An empty context copies as null.
  if (context_vars_exist() && !context() && !current_context_empty()) [[unlikely]]
    if (ContextState* s = capture_context()) *context_slot() = s;
#endif
  if (!name)
    id_ = static_cast<std::uint32_t>(loop.next_task_number());
  else
    set_name(std::move(*name));
}

AIO_HOT void TaskCore::schedule_first_step(EventLoop& loop) {
  schedule_step();  // asyncio: call_soon(self.__step), then _register_task
  loop.register_task(this);
  if (loop.tracer()) [[unlikely]]
    loop.trace(TraceKind::task_created, id_, get_name());
}

// The trampoline: resume the innermost suspended frame; when a nested frame
// finishes, it leaves its parent in t_continue_with, resumed here in the same
// step (never from inside the child: see the header).
AIO_HOT void TaskCore::resume_innermost() {
  coro::coroutine_handle<> h = innermost_->handle();
  for (;;) {
    h.resume();
    if (!t_continue_with) break;
    h = std::exchange(t_continue_with, nullptr);
  }
}

void TaskCore::start_task(EventLoop& loop) { start_task_named(loop, nullptr, EagerChoice::factory); }

void TaskCore::start_task(EventLoop& loop, std::string name) {
  start_task_named(loop, name.empty() ? nullptr : &name, EagerChoice::factory);
}

void TaskCore::start_task(EventLoop& loop, std::string name, bool eager_start) {
  start_task_named(loop, name.empty() ? nullptr : &name, eager_start ? EagerChoice::eager : EagerChoice::lazy);
}

// Every create_task comes here, so the code is in one place (the npm package
// counts its bytes). An ordinary create_task on a loop without a task factory
// pays one predictable branch for eager start.
void TaskCore::start_task_named(EventLoop& loop, std::string* name, EagerChoice choice) {
  begin_task(loop, name);
  if (loop.get_task_factory()) [[unlikely]]
    call_task_factory(loop);
  // asyncio 3.14 passes create_task's eager_start= to the task factory, where
  // it overrides the factory's own default (create_eager_task_factory's True).
  if (choice != EagerChoice::factory) [[unlikely]]
    eager_start_ = choice == EagerChoice::eager;
  if (eager_start_) [[unlikely]]
    start_eagerly(loop);
  else
    schedule_first_step(loop);
}

void TaskCore::call_task_factory(EventLoop& loop) {
  // set_eager_start() is refused outside this call: once the first step is
  // scheduled, asking for an eager one would silently do nothing.
  struct InFactory {
    TaskCore* task;
    explicit InFactory(TaskCore* t) noexcept : task(t) { task->in_task_factory_ = true; }
    ~InFactory() { task->in_task_factory_ = false; }
  } in_factory(this);
  loop.get_task_factory()(loop, *this);
}

void TaskCore::set_eager_start(bool eager) {
  if (!in_task_factory_)
    throw InvalidStateError("set_eager_start(): the task has already been started",
                            "call it from a task factory (loop.set_task_factory), or pass aio::eager_start to "
                            "create_task() (aio/eager_task.hpp)");
  eager_start_ = eager;
}

// asyncio's Task.__init__: `if eager_start and self._loop.is_running():
// self.__eager_start()`; a loop that is not running yet schedules the first
// step as for any task (Python 3.12).
void TaskCore::start_eagerly(EventLoop& loop) {
  if (!loop.is_running()) {
    schedule_first_step(loop);
    return;
  }
  // Registered before the step, where asyncio registers it after (in
  // _eager_tasks during the step, then in _scheduled_tasks if still
  // pending): all_tasks() includes it during the step either way, a task
  // that finishes there unregisters itself in finish_root(), and the loop's
  // list stays in creation order.
  loop.register_task(this);
  if (loop.tracer()) [[unlikely]]
    loop.trace(TraceKind::task_created, id_, get_name());
  eager_step(loop);
}

// asyncio's __eager_start: the first step, run now, inside create_task. Most
// often create_task is called from another task's step, which this step
// nests in, so it sets aside what that step keeps outside its own frame and
// TaskCore, and puts it back after:
//   - the current task, per thread (t_current_task: every awaiter asks it
//     which task is suspending) and per loop (current_task(), and the check
//     in enter_task()): asyncio's _swap_current_task;
//   - the trampoline register t_continue_with. A final or yield awaiter sets
//     it and the trampoline takes it before any other code runs, so it is
//     empty whenever create_task can be called; keeping the outer value
//     anyway costs nothing here and nothing on the ordinary path.
// The debug mode's step timer (EventLoop::step_started_) is not touched: as
// in asyncio, where the eager step runs inside the callback that created
// the task, its time counts towards that callback (or task step). Everything
// else a step changes (innermost_, waiting_on_, fut_waiter_, the cancel
// state) belongs to the task it steps.
void TaskCore::eager_step(EventLoop& loop) {
  TaskCore* outer_loop_task = std::exchange(loop.current_task_, this);
  TaskCore* outer_task = std::exchange(t_current_task, this);
  coro::coroutine_handle<> outer_continue = std::exchange(t_continue_with, nullptr);
#if AIO_HAS_CONTEXTVARS
  NoContextSlot in_task_context;  // a callback or Context::run() creating the task has one set
#endif
  add_ref();  // the step's own reference, as the ready queue holds one for a scheduled step
  if (loop.tracer()) [[unlikely]]
    loop.trace(TraceKind::task_resumed, id_, get_name());
  body_started_ = true;
  if (must_cancel_) {
    // Cancelled by the task factory: as for a task cancelled before its
    // first step, the body never runs.
    must_cancel_ = false;
    cancel_before_start();
  } else {
    resume_innermost();
  }
  if (loop.tracer() && !done()) [[unlikely]]
    loop.trace(TraceKind::task_suspended, id_, get_name(), waiting_on_ ? waiting_on_ : "");
  t_continue_with = outer_continue;
  t_current_task = outer_task;
  loop.current_task_ = outer_loop_task;
  release();
}

void TaskCore::start_nested(coro::coroutine_handle<> parent) noexcept {
  task_phase_ = static_cast<std::uint8_t>(Phase::nested);
  share_loop(*t_current_task);
  parent_frame_ = &frame_of(parent);
  inline_phase_ = true;
  done_inline_ = false;
  body_started_ = true;
}

void TaskCore::return_to_parent() noexcept {
  if (inline_phase_) {
    done_inline_ = true;  // still inside the parent's await_suspend: it continues
    return;
  }
  // The task's step resumes the parent, in this same step (no loop trip).
  t_continue_with = parent_frame_->handle();
  t_current_task->innermost_ = parent_frame_;
}

void TaskCore::rethrow_nested() {
  if (exc_) std::rethrow_exception(exc_);
}

AIO_HOT void TaskCore::run_ready_step(ReadyItem* item) {
  auto* task = static_cast<TaskCore*>(item);
  if (task->in_future_list_) {
    // The future the task waited on is done. asyncio's __wakeup runs as its
    // own callback; here the task's next step is that callback, which is one
    // trip through the ready queue as well.
    task->in_future_list_ = false;
    task->schedule_step();
    return;
  }
  task->step();
  task->release();  // the ready queue's reference
}

// A task's run function, and the tag EventLoop::run_ready looks for: it runs
// task steps inline, so this is called only if something else runs a ready
// item through its pointer. It puts the item back at the head of the queue
// and lets run_ready take it, rather than holding a second copy of the step.
void TaskCore::on_ready(ReadyItem* item) {
  EventLoop& loop = *static_cast<TaskCore*>(item)->anchor_->loop;
  loop.ready_.push_front(item);
  loop.run_ready(1);
}

// Inline into run_ready_step, its one caller: the task switch.
AIO_HOT void TaskCore::step() {
  if (done()) return;
  if (!parked_ && fut_waiter_) {
    fut_waiter_->release();
    fut_waiter_ = nullptr;
  }
  waiting_on_ = nullptr;
  EventLoop& loop = *anchor_->loop;  // a task steps only on its own, living loop
  loop.enter_task(this);
  if (!body_started_) {
    body_started_ = true;
    if (must_cancel_) {
      // Cancelled before its first step: the body never runs (asyncio throws
      // CancelledError into the unstarted coroutine).
      must_cancel_ = false;
      cancel_before_start();
      loop.leave_task(this);
      return;
    }
  }
  resume_innermost();
  loop.leave_task(this);
}

}  // namespace detail

// run_once's inner loop. Here, beside the task's step, rather than in
// event_loop.cpp: most ready items of a busy program are task steps, and a
// step called through run_ready's function pointer is an indirect call that
// nothing can inline (in wasm a call_indirect with its signature check).
// Spotting the task's run function and stepping inline made the wasm switch
// benchmark about 50 % faster (43M -> 67M yields/s with the slices' sparser
// clock reads), native switch about 10 %. A direct call to on_ready instead
// gave wasm only half of that: neither clang at -Os nor Binaryen inlined it.
void EventLoop::run_ready(std::size_t ntodo) {
  for (; ntodo > 0 && !ready_.empty(); --ntodo) {
    detail::ReadyItem* item = ready_.pop();
    if (item->run_ready == &detail::TaskCore::on_ready)
      detail::TaskCore::run_ready_step(item);
    else
      item->run_ready(item);
  }
}

namespace detail {

void TaskCore::cancel_before_start() {
  exc_ = std::make_exception_ptr(CancelledError(cancel_message()));
  finish_root();
}

void TaskCore::finish_root() noexcept {
  TraceKind outcome = TraceKind::task_done;
  if (exc_) {
    if (is_cancelled_error(exc_)) {
      // asyncio: self._cancelled_exc = exc; super().cancel(). The first
      // result() raises that very exception; later ones a fresh one.
      status_ = FutureStatus::cancelled;
      if (Cold* c = find_cold()) c->cancel_message.clear();
      outcome = TraceKind::task_cancelled;
    } else {
      status_ = FutureStatus::finished;
      log_traceback_ = true;
      outcome = TraceKind::task_failed;
    }
    schedule_callbacks();
  } else if (must_cancel_) {
    // Cancelled right before the coroutine returned.
    must_cancel_ = false;
    cancel_future(cancel_message());
    outcome = TraceKind::task_cancelled;
  } else {
    status_ = FutureStatus::finished;
    schedule_callbacks();
  }
  waiting_on_ = nullptr;
  EventLoop& l = *loop();  // a task whose loop is gone never runs again
  if (l.tracer())
    l.trace(outcome, id_, get_name(), outcome == TraceKind::task_failed ? describe_exception(exc_) : std::string());
  l.unregister_task(this);
}

bool TaskCore::cancel(std::string msg) {
  if (phase() != Phase::task)
    throw InvalidStateError("cancel(): this coroutine is not a task; schedule it with create_task() to cancel it");
  log_traceback_ = false;
  if (done()) return false;
  if (!loop())  // its loop was destroyed: the cancellation could never be delivered
    throw RuntimeError("Event loop is closed: this task outlived its event loop and can never run again");
  if (num_cancels_requested_ < 0xFFFF) ++num_cancels_requested_;
  if (parked_cancelled_) {
    // An earlier cancel() already cancelled the parked wait (asyncio: the
    // waiter future), and the step that raises it is scheduled. asyncio's
    // fut_waiter.cancel() returns False here, so it sets _must_cancel and
    // _cancel_message, but that same step consumes _must_cancel while
    // raising the waiter's CancelledError, which carries the *first*
    // message. So: count the request, keep the first message, and do not
    // leave a must_cancel behind that would cancel the task's next await.
    return true;
  }
  if (parked_) {
    // The parked wait is the waiter's future; cancelling it succeeds.
    set_cancel_message(std::move(msg));
    parked_on_->remove(this);
    parked_ = false;
    parked_on_ = nullptr;
    parked_cancelled_ = true;
    schedule_step();
    return true;
  }
  if (fut_waiter_ && fut_waiter_->cancel(msg)) {
    // Leave fut_waiter_: it may be a task that ignores the cancellation.
    return true;
  }
  must_cancel_ = true;
  set_cancel_message(std::move(msg));
  return true;
}

void TaskCore::wait_on(coro::coroutine_handle<> h, FutureCore& fut, const char* what) {
  if (!fut.same_loop(*this))
    throw RuntimeError("Task " + describe() + " got Future attached to a different loop; " +
                       "create futures with the loop that awaits them");
  if (&fut == this) throw RuntimeError("Task cannot await on itself: " + describe());
  suspend_at(h, what);
  fut.add_ref();
  fut_waiter_ = &fut;
  in_future_list_ = true;
  fut.add_callback_node(static_cast<DoneCallbackNode*>(this));
  if (must_cancel_) {
    if (fut.cancel(cancel_message())) must_cancel_ = false;
  }
}

void TaskCore::park(coro::coroutine_handle<> h, ParkingLot& lot, const char* what) noexcept {
  suspend_at(h, what);
  parked_wait_ = true;
  if (must_cancel_) {
    // asyncio: the task was cancelled before it suspended, so the waiter's
    // future is cancelled at once (it still takes one loop iteration).
    must_cancel_ = false;
    parked_cancelled_ = true;
    schedule_step();
    return;
  }
  parked_ = true;
  parked_counting_ = false;
  parked_on_ = &lot;
  lot.push(this);
}

void TaskCore::park(coro::coroutine_handle<> h, CountingLot& lot, const char* what) noexcept {
  park(h, static_cast<ParkingLot&>(lot), what);
  parked_counting_ = parked_;  // not if it was cancelled before it could park
}

void TaskCore::unpark() noexcept {
  parked_ = false;
  parked_on_ = nullptr;
  schedule_step();
}

TaskCore* ParkingLot::next_parked(TaskCore* t) noexcept {
  return static_cast<TaskCore*>(static_cast<DoneCallbackNode*>(t->next_ready));
}

ParkingLot::~ParkingLot() {
  TaskCore* last = std::exchange(tail_, nullptr);
  if (!last) return;
  for (TaskCore* t = next_parked(last);;) {
    TaskCore* next = next_parked(t);
    t->next_ready = nullptr;
    t->parked_ = false;
    t->parked_on_ = nullptr;
    if (t == last) break;
    t = next;
  }
}

void ParkingLot::push(TaskCore* t) noexcept {
  if (tail_) {
    t->next_ready = tail_->next_ready;  // the oldest
    tail_->next_ready = static_cast<DoneCallbackNode*>(t);
  } else {
    t->next_ready = static_cast<DoneCallbackNode*>(t);
  }
  tail_ = t;
}

bool ParkingLot::remove(TaskCore* t) noexcept {
  if (!tail_) return false;
  TaskCore* prev = tail_;
  do {
    TaskCore* n = next_parked(prev);
    if (n == t) {
      if (n == prev) {
        tail_ = nullptr;  // it was the only one
      } else {
        prev->next_ready = n->next_ready;
        if (tail_ == n) tail_ = prev;
      }
      n->next_ready = nullptr;
      return true;
    }
    prev = n;
  } while (prev != tail_);
  return false;
}

void ParkingLot::unpark_all() noexcept {
  TaskCore* last = std::exchange(tail_, nullptr);
  if (!last) return;
  for (TaskCore* t = next_parked(last);;) {
    TaskCore* next = next_parked(t);
    bool was_last = t == last;
    t->next_ready = nullptr;
    t->unpark();  // pushes t's link onto the ready queue
    if (was_last) break;
    t = next;
  }
}

void TaskCore::throw_cancel_requested() {
  must_cancel_ = false;
  throw CancelledError(cancel_message());
}

void TaskCore::throw_if_cancel_requested(FutureCore& fut) {
  if (must_cancel_) {
    must_cancel_ = false;
    if (fut.cancelled()) std::rethrow_exception(fut.make_cancelled_error());
    throw CancelledError(cancel_message());
  }
}

}  // namespace detail

TaskRef current_task() { return TaskRef(detail::t_current_task); }

TaskRef current_task(EventLoop& loop) { return TaskRef(loop.current_task()); }

std::vector<TaskRef> all_tasks(EventLoop* loop) {
  if (!loop) loop = &get_running_loop();
  std::vector<TaskRef> tasks;
  for (detail::TaskCore* t : loop->all_tasks()) tasks.emplace_back(t);
  return tasks;
}

}  // namespace aio

// Every task and every nested coroutine's frame carries a TaskCore: keep it
// from growing unnoticed (the pending-task links included). Every field is
// in use in a task; the context (AIO_HAS_CONTEXTVARS) went to the Cold side
// table rather than cost every task 8 bytes (192 bytes of heap for a
// suspended trivial task instead of 184).
static_assert(sizeof(void*) != 8 || sizeof(aio::detail::TaskCore) <= 112);
static_assert(sizeof(void*) != 4 || sizeof(aio::detail::TaskCore) <= 64);
