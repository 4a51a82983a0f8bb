#pragma once
/// aio::run and aio::Runner: the entry points of a program (asyncio.run).
#include <memory>
#include <optional>

#include "aio/event_loop.hpp"
#include "aio/task.hpp"

namespace aio {

/// Owns a fresh event loop for a sequence of run() calls, then shuts it down
/// the way asyncio.Runner does: remaining tasks are cancelled and awaited,
/// the default executor is shut down, and the loop is closed.
///
/// Ctrl-C, as in asyncio: while run() runs on the main thread, and SIGINT
/// still has its default action, the first SIGINT cancels the main task, so
/// its cleanup (catch blocks, destructors, TaskGroups) runs; if the task
/// ends cancelled, run() raises KeyboardInterrupt. A second SIGINT ends the
/// process at once, as the default action would have. A KeyboardInterrupt
/// nobody catches ends the program through SIGINT's default action too
/// (exit status 130 in a shell), as CPython does, instead of std::terminate's
/// abort().
class Runner {
 public:
  explicit Runner(EventLoop::Options options = {});
  /// A loop on `host` instead of the default one (asyncio's loop_factory).
  Runner(EventLoop::Options options, std::unique_ptr<Host> host);
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;
  ~Runner();

  /// Run `main` as a task to completion and return its result.
  template <class T>
  T run(Task<T> main) {
    if (try_get_running_loop())
      throw RuntimeError("Runner.run() cannot be called from a running event loop", "await the coroutine instead");
    if (closed_) throw RuntimeError("Runner is closed");
#if AIO_HAS_CONTEXTVARS
    // asyncio.Runner: every run() shares one copy of the context current at
    // the first, so what one main task sets the next one sees.
    if (!context_) context_ = copy_context();
    Task<T> task = loop_->create_task(std::move(main), std::string(), *context_);
#else
    Task<T> task = loop_->create_task(std::move(main));
#endif
    InterruptWatch interrupt(*loop_, task);
    try {
      if constexpr (std::is_void_v<T>) {
        loop_->run_until_complete(std::move(task));
        interrupt.raise_if_interrupted_late();
      } else {
        T result = loop_->run_until_complete(std::move(task));
        interrupt.raise_if_interrupted_late();
        return result;
      }
    } catch (const CancelledError&) {
      interrupt.raise_if_interrupted();
      throw;
    }
  }
  /// Run a bare awaitable (`runner.run(aio::sleep(1))`) in a task of its own.
  template <class A>
    requires detail::BareAwaitable<std::remove_cvref_t<A>>
  auto run(A&& main) {
    return run(detail::wrap_awaitable_arg(std::forward<A>(main)));
  }

  void close();
  EventLoop& get_loop() noexcept { return *loop_; }

 private:
#if AIO_HAS_CONTEXTVARS
  std::optional<Context> context_;
#endif
  // asyncio.Runner's SIGINT handling for one run() (see the class comment).
  class InterruptWatch {
   public:
    InterruptWatch(EventLoop& loop, TaskRef main);
    InterruptWatch(const InterruptWatch&) = delete;
    InterruptWatch& operator=(const InterruptWatch&) = delete;
    ~InterruptWatch();
    // The main task ended cancelled: KeyboardInterrupt if an interrupt did
    // it and nothing else still wants the task cancelled (asyncio's uncancel() == 0).
    void raise_if_interrupted();
    // It ended otherwise: KeyboardInterrupt if the interrupt came too late to
    // cancel it (asyncio raises it from the signal handler then).
    void raise_if_interrupted_late();

   private:
    struct State {
      TaskRef main;
      int interrupts = 0;
      bool late = false;
    };
    EventLoop& loop_;
    // Shared with the callback, which may still be scheduled when run() ends.
    std::shared_ptr<State> state_;
    bool watching_ = false;
  };

  std::optional<EventLoop> loop_;
  bool closed_ = false;
};

/// Run `main` on a new event loop on `host` and return its result
/// (asyncio.run; the host is its loop_factory). Ctrl-C cancels `main`, then
/// raises KeyboardInterrupt (see Runner).
template <class T>
T run(Task<T> main, EventLoop::Options options, std::unique_ptr<Host> host) {
  // asyncio.run checks before it makes its Runner, so the error names it.
  if (try_get_running_loop())
    throw RuntimeError("asyncio.run() cannot be called from a running event loop", "await the coroutine instead");
  Runner runner(options, std::move(host));
  if constexpr (std::is_void_v<T>)
    runner.run(std::move(main));
  else
    return runner.run(std::move(main));
}
/// The same on the default host.
template <class T>
T run(Task<T> main, EventLoop::Options options = {}) {
  return run(std::move(main), options, make_default_host());
}
/// The same for a bare awaitable: `aio::run(aio::sleep(1))`.
template <class A>
  requires detail::BareAwaitable<std::remove_cvref_t<A>>
auto run(A&& main, EventLoop::Options options = {}) {
  return run(detail::wrap_awaitable_arg(std::forward<A>(main)), options);
}

}  // namespace aio
