// Twin of py/scenarios/127_task_destroyed_pending.py, a KNOWN DEVIATION (compared with
// cpp/deviations/127_task_destroyed_pending.txt, not with the CPython output).
//
// asyncio's loop holds its tasks weakly, so a pending task awaiting a future nobody else
// references is garbage: gc.collect() destroys it and reports "Task was destroyed but it
// is pending!". aio's loop holds every pending task strongly (task.hpp: "a task whose
// handle is dropped still runs to completion"), so dropping the handle changes nothing:
// the task stays in all_tasks() and is cancelled by run()'s shutdown like any leftover
// task. aio reports "Task was destroyed but it is pending!" only when a loop is closed
// with pending tasks that nothing else holds.
#include "harness.hpp"

namespace {
using namespace conformance;

void handler(aio::EventLoop&, const aio::ExceptionContext& context) {
  log("handler:", context.message, context.exception ? "| exception" : "| no exception", "| task key present",
      !context.task.empty());
}

aio::Task<void> forever() {
  log("forever: awaiting an orphan future");
  co_await aio::get_running_loop().create_future<void>();
  log("not reached");
}

aio::Task<void> main_() {
  aio::get_running_loop().set_exception_handler(handler);
  auto t = aio::create_task(forever());
  co_await aio::sleep(0);
  log("pending", !t.done(), "all_tasks", aio::all_tasks().size());
  t = {};  // del t; gc.collect()
  log("after gc, all_tasks", aio::all_tasks().size());
}
}  // namespace

AIO_SCENARIO("127_task_destroyed_pending") { run(main_); }
