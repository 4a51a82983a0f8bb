#include "aio/task_group.hpp"

namespace aio {

TaskGroup::TaskGroup() : self_(std::make_shared<TaskGroup*>(this)) {}

TaskGroup::~TaskGroup() {
  *self_ = nullptr;
  for (Child& c : tasks_) c.task.core().remove_callback_id(c.callback_id);
}

std::string TaskGroup::repr() const {
  std::string info;
  if (!tasks_.empty()) info += " tasks=" + std::to_string(tasks_.size());
  if (!errors_.empty()) info += " errors=" + std::to_string(errors_.size());
  if (aborting_)
    info += " cancelling";
  else if (entered_)
    info += " entered";
  return "<TaskGroup" + info + ">";
}

void TaskGroup::enter() {
  // asyncio (3.11.3+): the group counts as entered only once the checks
  // passed, so a refused entry leaves it "not entered" for create_task().
  if (entered_) throw RuntimeError("TaskGroup " + repr() + " has already been entered");
  if (!loop_) loop_ = &get_running_loop();
  parent_task_ = current_task();
  if (!parent_task_) throw RuntimeError("TaskGroup " + repr() + " cannot determine the parent task");
  entered_ = true;
}

void TaskGroup::check_can_create(const detail::TaskCore& coro) const {
  if (!entered_) throw RuntimeError("TaskGroup " + repr() + " has not been entered");
  if (exiting_ && tasks_.empty()) throw RuntimeError("TaskGroup " + repr() + " is finished");
  if (aborting_) throw RuntimeError("TaskGroup " + repr() + " is shutting down");
  if (coro.phase() != detail::TaskCore::Phase::created)
    throw TypeError("TaskGroup.create_task() needs an unstarted coroutine (call the coroutine function again)");
}

void TaskGroup::adopt(detail::TaskCore& task) {
  // Only an eager task can be done already. asyncio 3.12+ hands it to
  // _on_task_done at once instead of through a done callback, which would run
  // an iteration later, after the body had gone on as if nothing failed.
  if (task.done()) {
    on_task_done(task);
    return;
  }
  std::weak_ptr<TaskGroup*> weak = self_;
  std::uint64_t id = detail::add_core_callback(task, [weak](detail::FutureCore& t) {
    if (auto self = weak.lock())
      if (*self) (*self)->on_task_done(t);
  });
  tasks_.push_back(Child{TaskRef(&task), id});
}

void TaskGroup::abort() {
  aborting_ = true;
  // Copy: cancel() never runs callbacks inline, but keep the loop simple.
  std::vector<TaskRef> tasks;
  for (Child& c : tasks_) tasks.push_back(c.task);
  for (TaskRef& t : tasks)
    if (!t.done()) t.cancel();
}

void TaskGroup::on_task_done(detail::FutureCore& task) {
  for (auto it = tasks_.begin(); it != tasks_.end(); ++it) {
    if (&it->task.core() == &task) {
      tasks_.erase(it);
      break;
    }
  }
  if (on_completed_fut_ && tasks_.empty() && !on_completed_fut_.done()) on_completed_fut_.set_result();
  if (task.cancelled()) return;
  std::exception_ptr exc = task.exception();
  if (!exc) return;
  errors_.push_back(exc);
  if (parent_task_.done()) {
    // asyncio handles it although it should not happen.
    ExceptionContext ctx;
    ctx.message = "Task " + task.describe() + " has errored out but its parent task " +
                  parent_task_.core().describe() + " is already completed";
    ctx.exception = exc;
    ctx.task = static_cast<detail::TaskCore&>(task).get_name();
    loop_->call_exception_handler(ctx);
    return;
  }
  if (!aborting_ && !parent_cancel_requested_) {
    // Interrupt whatever the body awaits right now; exit() withdraws this
    // cancellation with uncancel(), so the caller is not left cancelled.
    abort();
    parent_cancel_requested_ = true;
    parent_task_.cancel();
  }
}

namespace {

// Python: BaseExceptionGroup(msg, errors) is an ExceptionGroup when every
// error is an Exception.
[[noreturn]] void raise_group(std::vector<std::exception_ptr> errors) {
  bool all_exceptions = true;
  for (const std::exception_ptr& e : errors) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception&) {
    } catch (...) {
      all_exceptions = false;
    }
  }
  if (all_exceptions) throw ExceptionGroup("unhandled errors in a TaskGroup", std::move(errors));
  throw BaseExceptionGroup("unhandled errors in a TaskGroup", std::move(errors));
}

}  // namespace

Task<void> TaskGroup::exit(std::exception_ptr exc) {
  exiting_ = true;
  std::exception_ptr propagate_cancellation_error = is_cancelled_error(exc) ? exc : nullptr;
  if (parent_cancel_requested_) {
    // The group cancelled its parent: withdraw that request; if it was the
    // only one, the parent is not being cancelled after all.
    if (parent_task_.uncancel() == 0) propagate_cancellation_error = nullptr;
  }
  if (exc && !aborting_) {
    // The parent is being cancelled, or the block raised: stop the children.
    abort();
  }
  // A loop: on_completed_fut_ can be cancelled several times if the parent
  // is cancelled repeatedly.
  while (!tasks_.empty()) {
    if (!on_completed_fut_) on_completed_fut_ = loop_->create_future<void>();
    try {
      co_await on_completed_fut_;
    } catch (const CancelledError&) {
      if (!aborting_) {
        // The parent was cancelled while the block was already done.
        propagate_cancellation_error = std::current_exception();
        abort();
      }
    }
    on_completed_fut_ = Future<void>();
  }
  // Child errors take priority over a CancelledError.
  if (propagate_cancellation_error && errors_.empty()) std::rethrow_exception(propagate_cancellation_error);
  if (exc && !is_cancelled_error(exc)) errors_.push_back(exc);
  if (!errors_.empty()) raise_group(std::exchange(errors_, {}));
}

}  // namespace aio
