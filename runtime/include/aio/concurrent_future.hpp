#pragma once
/// ConcurrentFuture: a thread-safe result handle (concurrent.futures.Future),
/// and wrap_future, which turns one into an aio::Future on a loop.
///
/// Unlike aio::Future, which belongs to one loop's thread, a ConcurrentFuture
/// may be shared by any number of threads: result() blocks the calling thread
/// (never the loop: from a task, `co_await aio::wrap_future(cf)` instead).
/// Done callbacks run on the thread that completes the future, as in
/// concurrent.futures. Copies share one state.
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "aio/detail/callback.hpp"
#include "aio/errors.hpp"
#include "aio/event_loop.hpp"
#include "aio/future.hpp"

namespace aio {
namespace detail {

// The state of a ConcurrentFuture that does not depend on its value type:
// concurrent.futures.Future's _state, _exception, _condition and callbacks.
class ConcurrentCore {
 public:
  enum class State { pending, running, cancelled, finished };

  ConcurrentCore() = default;
  ConcurrentCore(const ConcurrentCore&) = delete;
  ConcurrentCore& operator=(const ConcurrentCore&) = delete;

  bool cancel();
  bool cancelled() const;
  bool running() const;
  bool done() const;
  bool set_running_or_notify_cancel();
  void set_exception(std::exception_ptr e);
  std::exception_ptr exception(std::optional<double> timeout);
  // Blocks until done (TimeoutError after `timeout`), then throws what
  // result() must throw instead of returning a value, if anything.
  void check_result(std::optional<double> timeout);
  // Runs `cb` now on this thread if done, else on the completing thread.
  void add_done_callback(Callback cb);

 protected:
  // Stores nothing itself: the caller stored the value under the lock.
  void finish_locked(std::unique_lock<std::mutex>& lock);
  void ensure_settable(const char* operation) const;
  void wait_done(std::unique_lock<std::mutex>& lock, std::optional<double> timeout);
  void invoke_callbacks(std::unique_lock<std::mutex>& lock) noexcept;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  State state_ = State::pending;
  std::exception_ptr exc_;
  std::vector<Callback> callbacks_;
};

template <class T>
class ConcurrentState final : public ConcurrentCore {
 public:
  template <class U>
  void set_result(U&& value) {
    std::unique_lock lock(mutex_);
    ensure_settable("set_result");
    value_.emplace(std::forward<U>(value));
    finish_locked(lock);
  }
  const T& value() const { return *value_; }
  // For a chain that is the only reader of this state (run_in_executor).
  T take_value() { return std::move(*value_); }

 private:
  std::optional<T> value_;
};

template <>
class ConcurrentState<void> final : public ConcurrentCore {
 public:
  void set_result() {
    std::unique_lock lock(mutex_);
    ensure_settable("set_result");
    finish_locked(lock);
  }
  void value() const noexcept {}
  void take_value() noexcept {}
};

// One reference to an aio future, held on behalf of code that runs on other
// threads. aio's reference counts are not atomic, so it is released only on
// the thread that took it (the loop's). Released anywhere else, it is leaked
// on purpose: that only happens when the loop was closed before the other
// thread came back, and a leak is better than a torn count.
template <class State>
class ThreadBoundRef {
 public:
  ThreadBoundRef() noexcept = default;
  explicit ThreadBoundRef(State* s) noexcept : s_(s), owner_(std::this_thread::get_id()) { s_->add_ref(); }
  ThreadBoundRef(const ThreadBoundRef&) = delete;
  ThreadBoundRef& operator=(const ThreadBoundRef&) = delete;
  ~ThreadBoundRef() { reset(); }
  State* get() const noexcept { return s_; }
  bool on_owner_thread() const noexcept { return owner_ == std::this_thread::get_id(); }
  void reset() noexcept {
    if (s_ && on_owner_thread()) s_->release();
    s_ = nullptr;
  }

 private:
  State* s_ = nullptr;
  std::thread::id owner_;
};

// What a wrap_future chain keeps on the loop's side: the destination and the
// loop whose virtual clock must wait for the source.
template <class T>
struct WrapLink {
  EventLoop* loop;
  ThreadBoundRef<FutureState<T>> dest;
  bool take_value;  // nobody else reads the source: move its value out
  WrapLink(EventLoop* l, FutureState<T>* d, bool take) : loop(l), dest(d), take_value(take) {
    loop->begin_external_work();
  }
  WrapLink(const WrapLink&) = delete;
  WrapLink& operator=(const WrapLink&) = delete;
  // A source dropped without ever completing, on the loop's thread.
  ~WrapLink() { finish(); }
  // Loop thread only (or leaks, see ThreadBoundRef).
  void finish() noexcept {
    if (dest.get() && dest.on_owner_thread()) loop->end_external_work();
    dest.reset();
  }
};

}  // namespace detail

/// A result shared between threads: concurrent.futures.Future. Returned by
/// run_coroutine_threadsafe; run_in_executor builds on it. All members may be
/// called from any thread.
template <class T = void>
class ConcurrentFuture {
 public:
  using value_type = T;

  /// A new, pending future (for executors and hand-written producers).
  ConcurrentFuture() : s_(std::make_shared<detail::ConcurrentState<T>>()) {}

  /// Cancel the future unless it is running or done; returns whether it is
  /// now cancelled. Done callbacks run on this thread. For a future from
  /// run_coroutine_threadsafe this also cancels the task, on its loop.
  bool cancel() { return s_->cancel(); }
  bool cancelled() const { return s_->cancelled(); }
  /// True while a producer that called set_running_or_notify_cancel() works.
  bool running() const { return s_->running(); }
  bool done() const { return s_->done(); }

  /// Block until the future is done and return its result (a reference into
  /// the shared state), or throw its exception; CancelledError if cancelled.
  /// With a timeout (seconds), throws TimeoutError if it is not done by then.
  /// Never call it on a loop's thread for a result that loop produces.
  decltype(auto) result(std::optional<double> timeout = std::nullopt) const {
    s_->check_result(timeout);
    return s_->value();
  }
  /// Block like result() and return the exception (null after a result).
  std::exception_ptr exception(std::optional<double> timeout = std::nullopt) const {
    return s_->exception(timeout);
  }

  /// Call `fn(future)` when the future is done: at once on this thread if it
  /// already is, else on the thread that completes it. Exceptions `fn` throws
  /// are reported on stderr and dropped, as concurrent.futures logs them.
  template <class F>
  void add_done_callback(F fn) {
    std::weak_ptr<detail::ConcurrentState<T>> weak = s_;
    // Weak: the callback lives in the state it would otherwise keep alive.
    s_->add_done_callback([weak, fn = std::move(fn)]() mutable {
      if (auto s = weak.lock()) fn(ConcurrentFuture(std::move(s)));
    });
  }

  // ---- for producers (executors, run_coroutine_threadsafe) ----

  /// Move a pending future to running and return true, or return false if
  /// it was cancelled (the producer must then drop the work).
  bool set_running_or_notify_cancel() { return s_->set_running_or_notify_cancel(); }
  /// Complete the future; InvalidStateError if it is already done.
  template <class... U>
  void set_result(U&&... value) {
    s_->set_result(std::forward<U>(value)...);
  }
  void set_exception(std::exception_ptr e) { s_->set_exception(std::move(e)); }

  bool operator==(const ConcurrentFuture& o) const noexcept { return s_ == o.s_; }
  detail::ConcurrentState<T>& state() const noexcept { return *s_; }

 private:
  explicit ConcurrentFuture(std::shared_ptr<detail::ConcurrentState<T>> s) noexcept : s_(std::move(s)) {}
  std::shared_ptr<detail::ConcurrentState<T>> s_;
};

/// An aio::Future on `loop` that completes when `source` does (asyncio's
/// wrap_future and _chain_future). Call on the loop's thread. Cancelling the
/// returned future cancels `source` (which fails if its work is running).
/// Its result arrives through call_soon_threadsafe, so the virtual clock does
/// not jump while `source` is pending. The loop must outlive `source`'s
/// completion or be closed first (a result arriving after close is dropped).
/// `sole_reader`: nobody else will read `source`, so its value may be moved
/// out (what run_in_executor passes; allows move-only results).
template <class T>
Future<T> wrap_future(EventLoop& loop, ConcurrentFuture<T> source, bool sole_reader = false) {
  Future<T> dest = loop.create_future<T>();
  auto link =
      std::make_shared<detail::WrapLink<T>>(&loop, static_cast<detail::FutureState<T>*>(&dest.core()), sole_reader);

  // _set_state: runs on the loop's thread, or is dropped when the loop closes.
  struct SetState {
    std::shared_ptr<detail::WrapLink<T>> link;
    ConcurrentFuture<T> source;
    void operator()() {
      auto* d = link->dest.get();
      // _copy_future_state: a destination cancelled meanwhile keeps that.
      if (!d->done()) {
        if (source.cancelled()) {
          d->cancel();
        } else if (auto e = source.exception()) {
          d->set_exception(e);
        } else {
          if constexpr (!std::is_void_v<T>) {
            if constexpr (std::is_copy_constructible_v<T>) {
              if (!link->take_value) {
                d->store(source.result());
                d->finish_with_result();
                link->finish();
                return;
              }
            }
            d->store(source.state().take_value());
          }
          d->finish_with_result();
        }
      }
      link->finish();
    }
    SetState(std::shared_ptr<detail::WrapLink<T>> l, ConcurrentFuture<T> s) : link(std::move(l)), source(std::move(s)) {}
    SetState(SetState&&) noexcept = default;
    ~SetState() {
      if (link) link->finish();
    }
  };

  // _call_check_cancel: the loop's thread, like every aio::Future callback.
  dest.add_done_callback([source](Future<T>& f) mutable {
    if (f.cancelled()) source.cancel();
  });
  // A shared_ptr and a ConcurrentFuture: four pointers in wasm32 too.
  static_assert(detail::Callback::fits_inline<SetState>, "every completion would allocate its callback");
  // _call_set_state: whichever thread completes the source.
  source.add_done_callback([link](ConcurrentFuture<T> src) {
    try {
      link->loop->call_soon_threadsafe(SetState(link, std::move(src)), "wrap_future");
    } catch (...) {
      // The loop is closed: asyncio drops the result too.
    }
  });
  return dest;
}

/// wrap_future on the running loop (asyncio.wrap_future without `loop=`).
template <class T>
Future<T> wrap_future(ConcurrentFuture<T> source) {
  return wrap_future(get_running_loop(), std::move(source));
}

}  // namespace aio
