#pragma once
/// aio::AsyncGenerator<T>: the C++ form of an `async def` with `yield` and of
/// `async for`.
///
///     aio::AsyncGenerator<int> ticker(int n) {
///       for (int i = 0; i < n; ++i) {
///         co_await aio::sleep(1);
///         co_yield i;
///       }
///     }
///     ...
///     auto gen = ticker(3);
///     while (auto i = co_await gen.next()) use(*i);   // async for i in ticker(3)
///
/// `next()` is `anext()`: it runs the generator inline in the awaiting task
/// until its next `co_yield` (returning the value) or its end (returning an
/// empty optional, Python's StopAsyncIteration). An exception raised inside
/// the generator, including CancelledError when the task is cancelled while
/// the generator awaits, comes out of `next()`.
///
/// `aclose()` raises GeneratorExit at the suspended `co_yield` so the
/// generator's cleanup (which may await) runs; destroying a generator
/// suspended at a `co_yield` without aclose() runs only its destructors.
#include <optional>
#include <type_traits>
#include <utility>

#include "aio/task.hpp"

namespace aio {

/// Raised at a generator's suspended co_yield by aclose(). Let it propagate.
class GeneratorExit {};

template <class T>
class AsyncGenerator;

namespace detail {

template <class T>
class AsyncGeneratorPromise final : public PromiseBase<AsyncGeneratorPromise<T>> {
 public:
  using value_type = std::remove_reference_t<T>;

  AsyncGenerator<T> get_return_object() noexcept;

  // co_yield: hand the value to the awaiting next() and give control back to
  // the consumer, exactly like a nested coroutine returning (see FinalAwaiter).
  struct YieldAwaiter {
    bool await_ready() const noexcept { return false; }
    template <class P>
    void await_suspend(coro::coroutine_handle<P> h) noexcept {
      h.promise().return_to_parent();
    }
    void await_resume() const {
      if (promise->closing_) throw GeneratorExit{};
    }
    AsyncGeneratorPromise* promise;
  };

  YieldAwaiter yield_value(value_type& v) noexcept {
    current_ = std::addressof(v);
    return YieldAwaiter{this};
  }
  YieldAwaiter yield_value(value_type&& v) noexcept {
    current_ = std::addressof(v);
    return YieldAwaiter{this};
  }
  void return_void() noexcept {}

  ~AsyncGeneratorPromise() { leave_loop(); }

  // asyncio's firstiter hook: the loop's shutdown_asyncgens() closes a
  // generator that started on it and has not finished when the loop shuts down.
  void join_loop() {
    if (hooked_) return;
    hooked_ = true;
    loop_ = &get_running_loop();
    loop_->register_asyncgen(entry_);
  }
  void leave_loop() noexcept {
    if (loop_) std::exchange(loop_, nullptr)->forget_asyncgen(entry_);
  }

  value_type* current_ = nullptr;  // the operand of the suspended co_yield
  bool running_ = false;           // a next() or aclose() is in progress
  bool closing_ = false;
  // aclose() found the generator never started: like Python's, it is then
  // finished without ever running, and next() ends at once.
  bool closed_unstarted_ = false;

 private:
  static Task<void> aclose_entry(void* gen);
  static void detach_entry(void* gen) noexcept { static_cast<AsyncGeneratorPromise*>(gen)->loop_ = nullptr; }

  bool hooked_ = false;        // registered once, as asyncio's firstiter hook runs once
  EventLoop* loop_ = nullptr;  // where it is registered, until it finishes or the loop goes
  AsyncGenEntry entry_{this, &aclose_entry, &detach_entry};
};

}  // namespace detail

template <class T>
class [[nodiscard]] AsyncGenerator {
 public:
  using promise_type = detail::AsyncGeneratorPromise<T>;
  using value_type = typename promise_type::value_type;

  AsyncGenerator() noexcept = default;
  AsyncGenerator(AsyncGenerator&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  AsyncGenerator& operator=(AsyncGenerator&& o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  AsyncGenerator(const AsyncGenerator&) = delete;
  AsyncGenerator& operator=(const AsyncGenerator&) = delete;
  ~AsyncGenerator() {
    if (p_) p_->release();
  }

  /// Run the generator to its next co_yield; empty when it has finished.
  auto next() { return Step<false>{p_}; }
  /// Raise GeneratorExit at the suspended co_yield and let the generator
  /// finish its cleanup. Raises RuntimeError if it yields again instead.
  auto aclose() { return Step<true>{p_}; }

  /// True once the generator has returned (or raised), or was closed before
  /// it started.
  bool finished() const noexcept { return !p_ || handle().done() || p_->closed_unstarted_; }

 private:
  friend promise_type;
  explicit AsyncGenerator(promise_type* p) noexcept : p_(p) {}
  coro::coroutine_handle<promise_type> handle() const noexcept {
    return coro::coroutine_handle<promise_type>::from_promise(*p_);
  }

  template <bool Close>
  struct Step {
    promise_type* p;
    using result_type = std::conditional_t<Close, void, std::optional<std::remove_const_t<value_type>>>;

    bool await_ready() const {
      if (!p) throw RuntimeError("the async generator was moved from");
      if (p->running_) throw RuntimeError("anext(): asynchronous generator is already running");
      auto h = coro::coroutine_handle<promise_type>::from_promise(*p);
      // A finished generator, or one never started that is being (or was)
      // closed, has nothing to run.
      return h.done() || p->closed_unstarted_ || (Close && never_started());
    }
    bool never_started() const noexcept { return !p->current_ && p->phase() == detail::TaskCore::Phase::created; }
    bool await_suspend(coro::coroutine_handle<> consumer) {
      detail::current_task_or_throw();
      p->join_loop();
      p->closing_ = Close;
      p->running_ = true;
      p->current_ = nullptr;
      p->start_nested(consumer);
      coro::coroutine_handle<promise_type>::from_promise(*p).resume();
      p->end_inline_phase();
      return !p->done_inline();
    }
    result_type await_resume() {
      p->running_ = false;
      auto h = coro::coroutine_handle<promise_type>::from_promise(*p);
      if (h.done() || p->closed_unstarted_ || (Close && never_started())) p->leave_loop();
      if (!h.done() && (p->closed_unstarted_ || (Close && never_started()))) {
        // aclose() before the first next() closes without running the body
        // (Python: GeneratorExit thrown into an unstarted generator), and a
        // later next() raises StopAsyncIteration: the empty optional.
        p->closed_unstarted_ = true;
        if constexpr (Close)
          return;
        else
          return std::nullopt;
      }
      if (h.done()) {
        if (auto e = p->take_nested_exception()) {
          if constexpr (Close) {
            try {
              std::rethrow_exception(e);
            } catch (const GeneratorExit&) {
              return;  // the generator let GeneratorExit propagate: closed
            }
          } else {
            std::rethrow_exception(e);
          }
        }
        if constexpr (Close)
          return;
        else
          return std::nullopt;
      }
      if constexpr (Close) {
        throw RuntimeError("async generator ignored GeneratorExit: it must not co_yield again while closing");
      } else {
        if (!p->current_) return std::nullopt;  // generator never started and was closed
        return std::optional<std::remove_const_t<value_type>>(std::move(*p->current_));
      }
    }
  };

  promise_type* p_ = nullptr;
};

template <class T>
AsyncGenerator<T> detail::AsyncGeneratorPromise<T>::get_return_object() noexcept {
  return AsyncGenerator<T>(this);
}

template <class T>
Task<void> detail::AsyncGeneratorPromise<T>::aclose_entry(void* gen) {
  auto* p = static_cast<AsyncGeneratorPromise*>(gen);
  p->add_ref();  // the closing keeps the generator alive, as asyncio's list of them does
  AsyncGenerator<T> g(p);
  co_await g.aclose();
}

}  // namespace aio
