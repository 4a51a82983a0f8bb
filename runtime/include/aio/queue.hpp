#pragma once
/// aio::Queue, aio::PriorityQueue, aio::LifoQueue: asyncio's queues, for
/// handing items from producer tasks to consumer tasks of one loop.
///
/// put() suspends while the queue is full (maxsize > 0), get() while it is
/// empty; both serve their waiters first come first served. join() waits
/// until task_done() was called once for every item put. shutdown() (from
/// Python 3.13) ends the queue: puts raise QueueShutDown, and so do gets once
/// the queue is empty (at once with immediate=true). Items may be move-only
/// (std::unique_ptr). See runtime/examples/queue.cpp.
#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "aio/detail/heapq.hpp"
#include "aio/detail/loop_bound.hpp"
#include "aio/sync/event.hpp"
#include "aio/task.hpp"

namespace aio {
namespace detail {

/// The text of BasicQueue::describe(): not a template, so the size-budgeted
/// wasm module has one copy of it instead of one per item and store type.
std::string describe_queue(const char* class_name, const void* queue, long maxsize, std::size_t qsize,
                           std::size_t getters, std::size_t putters, std::size_t unfinished_tasks, bool shutdown);

// The three overridable methods of asyncio.Queue (_init, _put, _get), one
// store per queue kind, and the class name its repr shows.
template <class T>
struct FifoStore {
  static constexpr const char* class_name = "Queue";
  std::deque<T> items;
  template <class U>
  void put(U&& item) {
    items.push_back(std::forward<U>(item));
  }
  T get() {
    T item = std::move(items.front());
    items.pop_front();
    return item;
  }
  std::size_t size() const noexcept { return items.size(); }
};

template <class T>
struct LifoStore {
  static constexpr const char* class_name = "LifoQueue";
  std::vector<T> items;
  template <class U>
  void put(U&& item) {
    items.push_back(std::forward<U>(item));
  }
  T get() {
    T item = std::move(items.back());
    items.pop_back();
    return item;
  }
  std::size_t size() const noexcept { return items.size(); }
};

template <class T, class Compare>
struct HeapStore {
  static constexpr const char* class_name = "PriorityQueue";
  std::vector<T> items;
  Compare less;
  template <class U>
  void put(U&& item) {
    heappush(items, std::forward<U>(item), less);
  }
  T get() { return heappop(items, less); }
  std::size_t size() const noexcept { return items.size(); }
};

}  // namespace detail

/// The queue machinery shared by Queue, PriorityQueue and LifoQueue (asyncio.Queue
/// with its storage as a parameter). Keep a queue alive while tasks wait on it.
template <class T, class Store>
class BasicQueue : public detail::LoopBound<BasicQueue<T, Store>> {
 public:
  using value_type = T;

  /// A queue holding at most `maxsize` items; 0 or less means unbounded.
  explicit BasicQueue(long maxsize = 0) : maxsize_(maxsize) { finished_.set(); }
  BasicQueue(const BasicQueue&) = delete;
  BasicQueue& operator=(const BasicQueue&) = delete;

  /// Number of items in the queue.
  std::size_t qsize() const noexcept { return store_.size(); }
  /// The capacity given at construction (0 or less: unbounded).
  long maxsize() const noexcept { return maxsize_; }
  /// True if the queue holds no item.
  bool empty() const noexcept { return store_.size() == 0; }
  /// True if the queue holds maxsize items; never true when unbounded.
  bool full() const noexcept {
    if (maxsize_ <= 0) return false;
    return qsize() >= static_cast<std::size_t>(maxsize_);
  }
  /// Items put but not yet marked done with task_done() (what join() waits for).
  std::size_t unfinished_tasks() const noexcept { return unfinished_tasks_; }
  /// True once shutdown() was called.
  bool is_shutdown() const noexcept { return is_shutdown_; }

  /// Put `item` into the queue, suspending while it is full until a get()
  /// makes room (putters are served in arrival order).
  /// Raises QueueShutDown if the queue is (or gets) shut down.
  /// Cancellation: raises CancelledError, nothing is put, and if a get() had
  /// just made room for this putter, the next putter is woken instead.
  Task<void> put(T item) {
    while (full()) {
      if (is_shutdown_) throw QueueShutDown();
      Future<> putter = this->bound_loop().template create_future<void>();
      putters_.push_back(putter);
      try {
        co_await detail::await_as(putter, "queue.put");
      } catch (...) {
        putter.cancel();  // in case it is not done yet
        // get_nowait() may have popped it already.
        detail::remove_waiter(putters_, putter);
        if (!full() && !putter.cancelled()) {
          // Woken by get_nowait() but unable to take the slot: pass it on.
          wakeup_next(putters_);
        }
        throw;
      }
    }
    put_nowait(std::move(item));
  }

  /// Put `item` without suspending. Raises QueueShutDown after shutdown() and
  /// QueueFull if the queue is full; `item` is left untouched when it raises.
  template <class U = T>
  void put_nowait(U&& item) {
    if (is_shutdown_) throw QueueShutDown();
    if (full()) throw QueueFull();
    store_.put(std::forward<U>(item));
    ++unfinished_tasks_;
    finished_.clear();
    wakeup_next(getters_);
  }

  /// Remove and return an item, suspending while the queue is empty until a
  /// put() brings one (getters are served in arrival order).
  /// Raises QueueShutDown once the queue is shut down and empty.
  /// Cancellation: raises CancelledError with no item taken; if a put() had
  /// just woken this getter, the next getter is woken instead.
  Task<T> get() {
    while (empty()) {
      if (is_shutdown_) throw QueueShutDown();
      Future<> getter = this->bound_loop().template create_future<void>();
      getters_.push_back(getter);
      try {
        co_await detail::await_as(getter, "queue.get");
      } catch (...) {
        getter.cancel();  // in case it is not done yet
        // put_nowait() may have popped it already.
        detail::remove_waiter(getters_, getter);
        if (!empty() && !getter.cancelled()) {
          // Woken by put_nowait() but unable to take the item: pass it on.
          wakeup_next(getters_);
        }
        throw;
      }
    }
    co_return get_nowait();
  }

  /// Remove and return an item without suspending. Raises QueueEmpty if the
  /// queue is empty (QueueShutDown if it is also shut down).
  T get_nowait() {
    if (empty()) {
      if (is_shutdown_) throw QueueShutDown();
      throw QueueEmpty();
    }
    T item = store_.get();
    wakeup_next(putters_);
    return item;
  }

  /// Mark one item taken with get() as processed; when every item put has
  /// been marked, join() returns. Raises ValueError "task_done() called too
  /// many times" if more calls than items put.
  void task_done() {
    if (unfinished_tasks_ == 0) throw ValueError("task_done() called too many times");
    --unfinished_tasks_;
    if (unfinished_tasks_ == 0) finished_.set();
  }

  /// Suspend until every item put has been marked with task_done(); returns
  /// at once, without suspending, if that is already the case.
  /// Cancellation: raises CancelledError; the queue is unaffected.
  Task<void> join() {
    if (unfinished_tasks_ > 0) co_await finished_.wait();
  }

  /// Shut the queue down (Python 3.13): put() and put_nowait() raise
  /// QueueShutDown from now on, get() and get_nowait() once the queue is
  /// empty. With `immediate`, the remaining items are dropped (each counting
  /// as task_done(), which may release join()), so gets raise at once. Every
  /// blocked put() and get() wakes up to re-check, and raises.
  void shutdown(bool immediate = false) {
    is_shutdown_ = true;
    if (immediate) {
      while (!empty()) {
        (void)store_.get();
        if (unfinished_tasks_ > 0) --unfinished_tasks_;
      }
      // Release every task blocked in join().
      if (unfinished_tasks_ == 0) finished_.set();
    }
    // All getters need to re-check queue-empty to raise QueueShutDown.
    while (!getters_.empty()) {
      Future<> getter = std::move(getters_.front());
      getters_.pop_front();
      if (!getter.done()) getter.set_result();
    }
    while (!putters_.empty()) {
      Future<> putter = std::move(putters_.front());
      putters_.pop_front();
      if (!putter.done()) putter.set_result();
    }
  }

  /// "<Queue at 0x... maxsize=2 _getters[1] tasks=3>", like asyncio's repr
  /// (without the items, which may not be printable; "PriorityQueue" and
  /// "LifoQueue" for those kinds).
  std::string describe() const {
    return detail::describe_queue(Store::class_name, this, maxsize_, qsize(), getters_.size(), putters_.size(),
                                  unfinished_tasks_, is_shutdown_);
  }

 private:
  // Wake the next waiter (if any) that isn't cancelled. Waiters are popped
  // here, so a woken waiter that fails to find its slot will not be in the
  // list any more (hence the tolerant remove_waiter above).
  static void wakeup_next(detail::WaiterList& waiters) {
    while (!waiters.empty()) {
      Future<> waiter = std::move(waiters.front());
      waiters.pop_front();
      if (!waiter.done()) {
        waiter.set_result();
        break;
      }
    }
  }

  long maxsize_;
  detail::WaiterList getters_;
  detail::WaiterList putters_;
  std::size_t unfinished_tasks_ = 0;
  Event finished_;
  bool is_shutdown_ = false;
  Store store_;
};

/// A first-in, first-out queue (asyncio.Queue).
template <class T>
class Queue : public BasicQueue<T, detail::FifoStore<T>> {
 public:
  using BasicQueue<T, detail::FifoStore<T>>::BasicQueue;
};

/// A queue that returns the smallest item first (asyncio.PriorityQueue), using
/// heapq's algorithm so equal items come out in CPython's order. `Compare` is
/// the `<` of the items.
template <class T, class Compare = std::less<T>>
class PriorityQueue : public BasicQueue<T, detail::HeapStore<T, Compare>> {
 public:
  using BasicQueue<T, detail::HeapStore<T, Compare>>::BasicQueue;
};

/// A last-in, first-out queue (asyncio.LifoQueue).
template <class T>
class LifoQueue : public BasicQueue<T, detail::LifoStore<T>> {
 public:
  using BasicQueue<T, detail::LifoStore<T>>::BasicQueue;
};

}  // namespace aio
