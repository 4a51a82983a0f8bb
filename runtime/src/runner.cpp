#include "aio/runner.hpp"

namespace aio {

Runner::Runner(EventLoop::Options options) { loop_.emplace(options); }

Runner::~Runner() {
  try {
    close();
  } catch (...) {
    // close() reports through the loop's exception handler; nothing may
    // escape a destructor.
  }
}

void Runner::close() {
  if (closed_) return;
  closed_ = true;
  EventLoop& loop = *loop_;
  // asyncio's _cancel_all_tasks: cancel what is left, in creation order, and
  // run the loop until every one of them has finished.
  std::vector<TaskRef> tasks;
  for (auto* t : loop.all_tasks()) tasks.emplace_back(t);
  if (!tasks.empty()) {
    for (auto& t : tasks) t.cancel();
    loop.run_until_complete([](std::vector<TaskRef> all) -> Task<void> {
      for (auto& t : all) {
        try {
          co_await t;
        } catch (...) {
          // Looked at below, as asyncio does after its gather().
        }
      }
    }(tasks));
    for (auto& t : tasks) {
      if (t.cancelled()) continue;
      if (auto e = t.exception()) {
        ExceptionContext ctx;
        ctx.message = "unhandled exception during asyncio.run() shutdown";
        ctx.exception = e;
        ctx.task = t.get_name();
        loop.call_exception_handler(ctx);
      }
    }
  }
  loop.shutdown_default_executor();
  loop.close();
}

}  // namespace aio
