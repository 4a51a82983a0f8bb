#pragma once
/// aio::run and aio::Runner: the entry points of a program (asyncio.run).
#include <optional>

#include "aio/event_loop.hpp"
#include "aio/task.hpp"

namespace aio {

/// Owns a fresh event loop for a sequence of run() calls, then shuts it down
/// the way asyncio.Runner does: remaining tasks are cancelled and awaited,
/// the default executor is shut down, and the loop is closed.
class Runner {
 public:
  explicit Runner(EventLoop::Options options = {});
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;
  ~Runner();

  /// Run `main` as a task to completion and return its result.
  template <class T>
  T run(Task<T> main) {
    if (try_get_running_loop())
      throw RuntimeError("Runner.run() cannot be called from a running event loop: await the coroutine instead");
    if (closed_) throw RuntimeError("Runner is closed");
    return loop_->run_until_complete(std::move(main));
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
  std::optional<EventLoop> loop_;
  bool closed_ = false;
};

/// Run `main` on a new event loop and return its result (asyncio.run).
template <class T>
T run(Task<T> main, EventLoop::Options options = {}) {
  Runner runner(options);
  if constexpr (std::is_void_v<T>)
    runner.run(std::move(main));
  else
    return runner.run(std::move(main));
}
/// The same for a bare awaitable: `aio::run(aio::sleep(1))`.
template <class A>
  requires detail::BareAwaitable<std::remove_cvref_t<A>>
auto run(A&& main, EventLoop::Options options = {}) {
  return run(detail::wrap_awaitable_arg(std::forward<A>(main)), options);
}

}  // namespace aio
