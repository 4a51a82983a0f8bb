#pragma once
/// The C++ objects JS holds by address: synchronisation primitives and
/// queues of JS values, each kept in a heap `Box` (a shared_ptr) so that a
/// task waiting on one keeps it alive even if JS disposes of its handle.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "aio/queue.hpp"
#include "aio/sync/barrier.hpp"
#include "aio/sync/condition.hpp"
#include "aio/sync/event.hpp"
#include "aio/sync/lock.hpp"
#include "aio/sync/semaphore.hpp"
#include "aio/task_group.hpp"
#include "js_interop.hpp"

namespace aio::wasm {

template <class T>
using Box = std::shared_ptr<T>;

template <class T>
std::uintptr_t box_new(std::shared_ptr<T> p) {
  return reinterpret_cast<std::uintptr_t>(new Box<T>(std::move(p)));
}
template <class T>
Box<T> box_get(std::uintptr_t p) {
  return *reinterpret_cast<Box<T>*>(p);
}
template <class T>
void box_delete(std::uintptr_t p) {
  delete reinterpret_cast<Box<T>*>(p);
}

/// Python-like ordering of JS values for PriorityQueue: numbers, strings,
/// and arrays compared element by element (so `[priority, item]` pairs work).
struct JsLess {
  bool operator()(const val& a, const val& b) const;
};

/// One interface over Queue, LifoQueue and PriorityQueue of JS values.
class JsQueue {
 public:
  virtual ~JsQueue() = default;
  virtual Task<void> put(val item) = 0;
  virtual Task<val> get() = 0;
  virtual Task<void> join() = 0;
  virtual void put_nowait(val item) = 0;
  virtual val get_nowait() = 0;
  virtual void task_done() = 0;
  virtual void shutdown(bool immediate) = 0;
  virtual std::size_t qsize() const = 0;
  virtual long maxsize() const = 0;
  virtual bool empty() const = 0;
  virtual bool full() const = 0;
  virtual bool is_shutdown() const = 0;
  virtual std::string describe() const = 0;
};

template <class Q>
class JsQueueImpl final : public JsQueue {
 public:
  explicit JsQueueImpl(long maxsize) : q_(maxsize) {}
  Task<void> put(val item) override { return q_.put(std::move(item)); }
  Task<val> get() override { return q_.get(); }
  Task<void> join() override { return q_.join(); }
  void put_nowait(val item) override { q_.put_nowait(std::move(item)); }
  val get_nowait() override { return q_.get_nowait(); }
  void task_done() override { q_.task_done(); }
  void shutdown(bool immediate) override { q_.shutdown(immediate); }
  std::size_t qsize() const override { return q_.qsize(); }
  long maxsize() const override { return q_.maxsize(); }
  bool empty() const override { return q_.empty(); }
  bool full() const override { return q_.full(); }
  bool is_shutdown() const override { return q_.is_shutdown(); }
  std::string describe() const override { return q_.describe(); }

 private:
  Q q_;
};

/// Who a drive() frame runs for: the JS Task object, so that currentTask()
/// and allTasks() give the same object the program holds. A root's copy in
/// the coroutine frame links itself into the list of JS tasks from the
/// frame's creation (before the first step) to its destruction.
///
/// The frame holds the JS object, and the JS object holds a reference to the
/// task (so to the frame): a cycle the JS collector cannot see through. It
/// is broken when the task finishes: drive() drops the JS object as it
/// returns, and sweep() drops it for tasks that finished without running
/// (cancelled before their first step). A WeakRef would avoid the cycle,
/// but costs more than everything else a task creation does.
class JsTaskSelf {
 public:
  JsTaskSelf(JsRef self, bool root) : self_(std::move(self)), root_(root) {}
  JsTaskSelf(JsTaskSelf&& o) noexcept;  // the frame's copy: links a root
  JsTaskSelf(const JsTaskSelf&) = delete;
  JsTaskSelf& operator=(const JsTaskSelf&) = delete;
  ~JsTaskSelf();
  const JsRef& object() const noexcept { return self_; }
  /// The same task, for a body run inline (not linked).
  JsTaskSelf inner() const { return JsTaskSelf(self_.clone(), false); }
  /// Let go of the JS object (the task is done).
  void drop() noexcept { self_.reset(); }

  static JsTaskSelf* head() noexcept { return head_; }
  JsTaskSelf* next() const noexcept { return next_; }
  /// Drop the JS objects of finished tasks whose frames are still alive.
  /// Runs now and then from create_js_task (amortised O(1) per task).
  static void sweep();
  static void maybe_sweep();
  detail::TaskCore* task = nullptr;  // set by whoever created the task

 private:
  JsRef self_;
  bool root_;
  bool linked_ = false;
  JsTaskSelf* prev_ = nullptr;
  JsTaskSelf* next_ = nullptr;
  static inline JsTaskSelf* head_ = nullptr;
  static inline std::size_t linked_count_ = 0;
  static inline std::size_t created_since_sweep_ = 0;
};

/// Runs a JS generator as an aio coroutine (`gen` empty or undefined: the
/// generator of the JS Task object, self._gen): each value the generator yields
/// is awaited (see js_coroutine.cpp), and its result (or error) is sent back
/// with gen.next(value) / gen.throw(error).
Task<val> drive(JsRef gen, JsTaskSelf self);

/// Create the task of a JS generator on `loop` or, when `group` is set, in
/// that TaskGroup. `self` is its JS Task object. `eager`: its first step
/// runs now if the loop is running (aio/eager_task.hpp).
Task<val> create_js_task(EventLoop* loop, TaskGroup* group, JsRef gen, JsRef self, std::string name, bool eager);

/// The fetch and WebSocket operations (codes 30-39), see bind_web_io.cpp.
Task<val> await_web_op(int code, std::uintptr_t target, double num, val value, val extra);

/// A thenable a JS task awaits has settled (index.js calls this from the
/// thenable's callbacks): complete the future the task waits on.
void settle(std::uintptr_t wait, bool ok, val value);

/// The pending tasks of `loop` for allTasks(): for each, [address of its core
/// (a new reference), its JS Task object or undefined for a C++ task].
val js_all_tasks(EventLoop& loop);

}  // namespace aio::wasm
