#include "aio/runner.hpp"

#include <csignal>
#include <cstdlib>
#include <exception>

namespace aio {

Runner::Runner(EventLoop::Options options) : Runner(options, make_default_host()) {}

Runner::Runner(EventLoop::Options options, std::unique_ptr<Host> host) {
  if (!host) throw ValueError("Runner: the host is null (leave it out for the default one)");
  loop_.emplace(options, std::move(host));
}

namespace {

std::terminate_handler g_previous_terminate = nullptr;

// CPython ends a program whose KeyboardInterrupt nobody caught by SIGINT's
// default action, so that the shell sees an interrupted program. Uncaught
// C++ exceptions end in std::terminate; this makes that one end the same way.
[[noreturn]] void terminate_on_uncaught_interrupt() {
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const KeyboardInterrupt&) {
      std::signal(SIGINT, SIG_DFL);
      std::raise(SIGINT);
    } catch (...) {
    }
  }
  if (g_previous_terminate) g_previous_terminate();
  std::abort();  // what std::terminate does without a handler
}

}  // namespace

Runner::InterruptWatch::InterruptWatch(EventLoop& loop, TaskRef main)
    : loop_(loop), state_(std::make_shared<State>(State{std::move(main)})) {
  // asyncio.Runner._on_sigint, but for the first interrupt only: the host
  // handles a second one itself, even while the loop is stuck.
  watching_ = loop_.host().set_interrupt_handler(loop_, [state = state_] {
    if (++state->interrupts == 1 && !state->main.done())
      state->main.cancel();
    else
      state->late = true;
  });
  if (watching_ && std::get_terminate() != terminate_on_uncaught_interrupt)
    g_previous_terminate = std::set_terminate(terminate_on_uncaught_interrupt);
}

Runner::InterruptWatch::~InterruptWatch() {
  if (watching_) loop_.host().set_interrupt_handler(loop_, {});
}

void Runner::InterruptWatch::raise_if_interrupted() {
  if (state_->interrupts > 0 && state_->main.uncancel() == 0) throw KeyboardInterrupt();
}

void Runner::InterruptWatch::raise_if_interrupted_late() {
  if (state_->late) throw KeyboardInterrupt();
}

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
  // asyncio runs it even with nothing to close, an iteration nobody sees;
  // skipping that keeps close() usable inside a running loop (a Runner made
  // in a task), where asyncio's lazily made Runner has nothing to close.
  if (loop.asyncgen_count() > 0) loop.run_until_complete(loop.shutdown_asyncgens());
  loop.shutdown_default_executor();
  loop.close();
}

}  // namespace aio
