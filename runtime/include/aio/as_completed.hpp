#pragma once
/// aio::as_completed: the results of several futures in the order they
/// complete (asyncio.as_completed, in both of 3.13's forms).
///
///     for (auto next : aio::as_completed(tasks, 2.5)) {
///       int r = co_await next;   // the earliest result not yet taken
///     }
///
/// In this form (3.11's) each item is an awaitable (an unstarted coroutine),
/// not one of the input futures: awaiting the i-th item gives the result (or
/// raises the exception) of the i-th future to complete. With a timeout, once
/// it passes every item not yet satisfied raises TimeoutError; the futures
/// themselves are neither cancelled nor waited for.
///
/// The `async for` form of 3.13 hands out the futures themselves, done:
///
///     auto completed = aio::as_completed(tasks, 2.5);
///     while (auto task = co_await completed.next()) ...task->result()...
///
/// Differences from asyncio: the futures are wrapped (unstarted coroutines
/// scheduled as tasks) when as_completed() is called rather than when the
/// iteration starts, and in list order rather than set order.
///
/// Cancellation: cancelling the task awaiting an item raises CancelledError
/// there; the futures are not cancelled.
/// See runtime/examples/as_completed.cpp.
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "aio/detail/future_like.hpp"

namespace aio {
namespace detail {

// The closure of asyncio's as_completed generator, including its Queue.
template <class F>
struct AsCompletedState {
  static constexpr std::size_t timed_out = static_cast<std::size_t>(-1);  // the queue's None

  std::vector<F> todo;                     // the wrapped futures, in input order
  std::vector<std::uint64_t> callback_ids;  // of _on_completion, per todo entry
  std::vector<bool> pending;               // asyncio's `todo` set, as flags
  std::size_t pending_count = 0;
  TimerHandle timeout_handle;
  std::deque<std::size_t> done;             // the Queue: indexes into todo, or timed_out
  std::deque<Future<void>> getters;         // tasks blocked in Queue.get()
  std::size_t left = 0;                     // not yet handed out by next() (3.13's _todo_left)

  ~AsCompletedState() {
    // Nobody can take results any more: stop watching the futures.
    timeout_handle.cancel();
    for (std::size_t i = 0; i < todo.size(); ++i)
      if (pending[i]) todo[i].core().remove_callback_id(callback_ids[i]);
  }

  // Queue.put_nowait + _wakeup_next(getters).
  void put(std::size_t item) {
    done.push_back(item);
    while (!getters.empty()) {
      Future<void> g = std::move(getters.front());
      getters.pop_front();
      if (!g.done()) {
        g.set_result();
        break;
      }
    }
  }

  void on_completion(std::size_t i) {
    if (pending_count == 0) return;  // _on_timeout() was here first
    pending[i] = false;
    --pending_count;
    put(i);
    if (pending_count == 0) timeout_handle.cancel();
  }

  void on_timeout() {
    for (std::size_t i = 0; i < todo.size(); ++i) {
      if (!pending[i]) continue;
      todo[i].core().remove_callback_id(callback_ids[i]);
      pending[i] = false;
      put(timed_out);  // a dummy value for wait_for_one()
    }
    pending_count = 0;
  }
};

// asyncio's _wait_for_one() up to the future: Queue.get(), then the index
// in todo of the next future to complete; TimeoutError once the timeout passed.
template <class F>
Task<std::size_t> as_completed_next_index(std::shared_ptr<AsCompletedState<F>> st) {
  while (st->done.empty()) {
    Future<void> getter = get_running_loop().create_future<void>();
    st->getters.push_back(getter);
    std::exception_ptr failed;
    try {
      co_await getter;
    } catch (...) {
      failed = std::current_exception();
    }
    if (failed) {
      // Queue.get(): give the wake-up to the next getter if we got one.
      getter.cancel();
      for (auto it = st->getters.begin(); it != st->getters.end(); ++it) {
        if (*it == getter) {
          st->getters.erase(it);
          break;
        }
      }
      if (!st->done.empty() && !getter.cancelled()) {
        while (!st->getters.empty()) {
          Future<void> g = std::move(st->getters.front());
          st->getters.pop_front();
          if (!g.done()) {
            g.set_result();
            break;
          }
        }
      }
      std::rethrow_exception(failed);
    }
  }
  std::size_t i = st->done.front();
  st->done.pop_front();
  if (i == AsCompletedState<F>::timed_out) throw TimeoutError();
  co_return i;
}

// asyncio's _wait_for_one(): the result of the next future to complete.
template <class F>
Task<future_value_t<F>> as_completed_wait_for_one(std::shared_ptr<AsCompletedState<F>> st) {
  std::size_t i = co_await as_completed_next_index(st);
  co_return result_of(st->todo[i]);  // may raise the future's exception
}

// asyncio 3.13's _AsCompletedIterator.__anext__: the future itself.
template <class F>
Task<std::optional<F>> as_completed_next(std::shared_ptr<AsCompletedState<F>> st) {
  if (st->left == 0) co_return std::nullopt;  // StopAsyncIteration
  --st->left;
  std::size_t i = co_await as_completed_next_index(st);
  co_return st->todo[i];
}

}  // namespace detail

/// The sequence as_completed() returns: one awaitable per distinct future,
/// each giving the next result in completion order.
template <class F>
class AsCompleted {
 public:
  using value_type = Task<detail::future_value_t<F>>;

  class iterator {
   public:
    using value_type = AsCompleted::value_type;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    /// A new awaitable for the next completed future. Await each one once.
    value_type operator*() const { return detail::as_completed_wait_for_one(st_); }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++i_;
      return old;
    }
    bool operator==(const iterator& o) const noexcept { return i_ == o.i_; }

   private:
    friend class AsCompleted;
    iterator(std::shared_ptr<detail::AsCompletedState<F>> st, std::size_t i) : st_(std::move(st)), i_(i) {}
    std::shared_ptr<detail::AsCompletedState<F>> st_;
    std::size_t i_ = 0;
  };

  explicit AsCompleted(std::shared_ptr<detail::AsCompletedState<F>> st) : st_(std::move(st)) {}
  iterator begin() const { return iterator(st_, 0); }
  iterator end() const { return iterator(st_, st_->todo.size()); }
  std::size_t size() const noexcept { return st_->todo.size(); }

  /// Python 3.13's `async for f in as_completed(fs)`: the next future to
  /// complete, itself (the very task given, or the task wrapping a coroutine
  /// given), done; std::nullopt once every one was handed out. TimeoutError
  /// once the timeout passed, as from the awaitables.
  ///
  ///     auto completed = aio::as_completed(tasks);
  ///     while (auto task = co_await completed.next()) use(task->result());
  Task<std::optional<F>> next() const { return detail::as_completed_next(st_); }

 private:
  std::shared_ptr<detail::AsCompletedState<F>> st_;
};

/// Watch the futures/tasks/unstarted coroutines in `fs` and return a sequence
/// of awaitables giving their results in completion order; after `timeout`
/// seconds (if given) the remaining awaitables raise TimeoutError. Must be
/// called on the loop's thread while it runs.
template <class F>
  requires detail::FutureLike<F>
auto as_completed(std::vector<F> fs, std::optional<double> timeout = std::nullopt) {
  using W = decltype(detail::to_future(std::declval<F>()));
  EventLoop& loop = get_running_loop();
  auto st = std::make_shared<detail::AsCompletedState<W>>();
  for (F& f : fs) {
    W w = detail::to_future(std::move(f));
    detail::check_future_loop(w.core(), loop, "as_completed()");
    bool dup = false;
    for (const W& u : st->todo) dup = dup || &u.core() == &w.core();
    if (!dup) st->todo.push_back(std::move(w));
  }
  st->pending.assign(st->todo.size(), true);
  st->pending_count = st->left = st->todo.size();
  // The callbacks only borrow the state: when every awaitable and the
  // sequence are gone, nobody wants the results and the state unhooks itself.
  std::weak_ptr<detail::AsCompletedState<W>> weak = st;
  for (std::size_t i = 0; i < st->todo.size(); ++i) {
    st->callback_ids.push_back(detail::add_core_callback(st->todo[i].core(), [weak, i](detail::FutureCore&) {
      if (auto s = weak.lock()) s->on_completion(i);
    }));
  }
  if (!st->todo.empty() && timeout) {
    st->timeout_handle = loop.call_later(
        *timeout,
        [weak]() {
          if (auto s = weak.lock()) s->on_timeout();
        },
        "as_completed timeout");
  }
  return AsCompleted<W>(std::move(st));
}

/// The same over bare awaitables (the awaiters of aio::sleep(delay, result),
/// ...), each run in a task of its own.
template <class F>
  requires detail::BareAwaitable<F>
auto as_completed(std::vector<F> fs, std::optional<double> timeout = std::nullopt) {
  return as_completed(detail::coroutines_of(std::move(fs)), timeout);
}

}  // namespace aio
