#pragma once
/// asyncio.Future: a result that will be set later, by someone else.
///
/// A Future belongs to one event loop. Awaiting it from a task suspends the
/// task until the future is done; done callbacks are always scheduled with
/// call_soon, never called inline. Copies of a Future refer to the same state.
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "aio/config.hpp"
#include "aio/coro.hpp"
#include "aio/detail/loop_anchor.hpp"
#include "aio/detail/pool.hpp"
#include "aio/errors.hpp"
#include "aio/event_loop.hpp"

namespace aio {
namespace detail {

class FutureCore;

// A link in a future's list of done callbacks. Tasks waiting on a future embed
// one, so awaiting never allocates; user callbacks are heap nodes.
//
// A node is a ReadyItem: `next_ready` links the future's list, and
// `run_ready` fires the node when the future is done. A waiting task is the
// only node kind that is not a HeapCallbackNode: its one link serves the
// future's list while it waits and the loop's ready queue when it is woken
// (it is never in both), which saves 16 bytes in every coroutine frame.
struct DoneCallbackNode : ReadyItem {
  DoneCallbackNode* next_node() const noexcept { return static_cast<DoneCallbackNode*>(next_ready); }
};

// Every node that is not a waiting task: allocated for the callback, freed by
// `drop` if the future dies before firing it, removable by id.
//
// When the future is done the node itself goes on the loop's ready queue
// (asyncio: call_soon(callback)), so firing a done callback allocates no
// Handle: `run_ready` switches from `in_list` (a tag: still waiting in the
// future's list) to `scheduled`, which runs `ops->invoke` the way the loop runs a
// callback handle (traced, errors reported) and then frees the node.
struct HeapCallbackOps {
  // Calls the callback with the done future.
  void (*invoke)(DoneCallbackNode*, FutureCore&);
  // Frees the node.
  void (*drop)(DoneCallbackNode*) noexcept;
};

struct HeapCallbackNode : DoneCallbackNode, Pooled {
  explicit HeapCallbackNode(const HeapCallbackOps* o) noexcept : ops(o) { run_ready = &HeapCallbackNode::in_list; }
  const HeapCallbackOps* ops;  // one pointer to a static table: 8 bytes less per node than two
  // For remove_done_callback while in the list; once scheduled, the loop's
  // handle sequence number (trace ids, as a call_soon handle would have).
  // Pointer-aligned like a handle's (aio/handle.hpp): in wasm32 the node then
  // has no padding, 8 bytes less per gather() child.
  HandleSeq id = 0;
  FutureCore* core = nullptr;  // set (with a reference) when the node fires

  static void in_list(ReadyItem*) noexcept {}  // never called: a tag
  static void scheduled(ReadyItem* item);
  // Loop close: the node will never run.
  static void discard(ReadyItem* item) noexcept;
};

inline HeapCallbackNode* as_heap_node(DoneCallbackNode* n) noexcept {
  return n->run_ready == &HeapCallbackNode::in_list ? static_cast<HeapCallbackNode*>(n) : nullptr;
}

#if AIO_HAS_CONTEXTVARS
class ContextState;  // aio/detail/context.hpp
#endif

enum class FutureStatus : std::uint8_t { pending, cancelled, finished };

const char* status_name(FutureStatus s) noexcept;  // "PENDING", "CANCELLED", "FINISHED"

// The state shared by every Future and Task, whatever its result type.
class FutureCore {
 public:
  // Futures, gather states and (through TaskPromise) coroutine frames come
  // from the thread's pool (detail/pool.hpp). Deletion goes through the
  // virtual destructor, so the size is the dynamic type's.
  static void* operator new(std::size_t n) { return pool_allocate(n); }
  static void operator delete(void* p, std::size_t n) noexcept { pool_deallocate(p, n); }

  explicit FutureCore(EventLoop* loop) noexcept {
    if (loop) bind_loop(loop);
  }

  // Rarely used state, made on first use: a cancel message, a task name. It
  // lives in a side table keyed by the future's address (future.cpp), not in
  // a pointer here: eight bytes in every task frame and future for what few
  // of them ever have.
  struct Cold {
    std::string cancel_message;
    std::string name;
    bool has_name = false;
#if AIO_HAS_CONTEXTVARS
    // A task's context (asyncio's Task._context), a reference, or null while
    // it is empty. Only a program that sets a ContextVar has one, and only
    // ContextVar's get/set and create_task/call_soon's copy look for it, so
    // it is not a word in every task (TaskCore::context()).
    ContextState* context = nullptr;
#endif
  };

  FutureCore(const FutureCore&) = delete;
  FutureCore& operator=(const FutureCore&) = delete;

  AIO_HOT void add_ref() noexcept { ++refs_; }
  // Inlined (a task's every step takes and drops a reference), the last
  // release out of line.
  AIO_HOT void release() noexcept {
    if (--refs_ == 0) last_release();
  }

  /// The loop, or null: not bound to one yet (a coroutine not started), or
  /// its loop was destroyed (see loop_anchor.hpp).
  AIO_HOT EventLoop* loop() const noexcept { return anchor_ ? anchor_->loop : nullptr; }
  /// get_loop(): the loop, or RuntimeError if there is none.
  EventLoop& bound_loop() const {
    if (EventLoop* l = loop()) [[likely]]
      return *l;
    throw_no_loop();
  }
  /// Whether the two are bound to the same loop (or both to none).
  bool same_loop(const FutureCore& other) const noexcept { return anchor_ == other.anchor_; }
  FutureStatus status() const noexcept { return status_; }
  AIO_HOT bool done() const noexcept { return status_ != FutureStatus::pending; }
  bool cancelled() const noexcept { return status_ == FutureStatus::cancelled; }
  bool is_task() const noexcept { return is_task_; }

  /// Cancels the future (a Task cancels its coroutine instead).
  virtual bool cancel(std::string msg = {});
  /// Throws the way result() must for a future that has no value to give:
  /// CancelledError, InvalidStateError when pending, or the stored exception.
  void check_result() {
    if (status_ == FutureStatus::finished && !exc_) [[likely]] {
      log_traceback_ = false;
      return;
    }
    check_result_slow();
  }
  std::exception_ptr exception() {
    if (status_ == FutureStatus::finished && !exc_) [[likely]]
      return nullptr;
    return exception_slow();
  }
  void set_exception(std::exception_ptr e);
  /// Marks the future finished; the derived class stored the value first.
  void finish_with_result();
  /// Future.cancel() itself (Task.cancel() is different).
  bool cancel_future(std::string msg);
  /// The CancelledError result() raises for a cancelled future.
  std::exception_ptr make_cancelled_error();

  void add_callback_node(DoneCallbackNode* node);
  /// Unlinks `node` if it is still waiting; returns whether it was.
  bool remove_callback_node(DoneCallbackNode* node) noexcept;
  /// Removes user callbacks with this id; returns how many.
  std::size_t remove_callback_id(std::uint64_t id) noexcept;
  std::uint64_t next_callback_id() noexcept;

  /// "<Future pending>", "<Task finished name='x'>", for messages.
  virtual std::string describe() const;
  /// Python's `type(fut).__name__`, which asyncio puts in the "... exception
  /// was never retrieved" message: "Future", "Task", "_GatheringFuture".
  virtual const char* class_name() const noexcept { return is_task_ ? "Task" : "Future"; }
  /// The pending cancel message, or empty.
  const std::string& cancel_message() const noexcept;
  void set_cancel_message(std::string msg);

  void ensure_loop(EventLoop* loop) noexcept {
    if (!anchor_ && loop) bind_loop(loop);
  }
  /// Bind to the loop `other` is bound to (a nested coroutine, to its task's).
  void share_loop(const FutureCore& other) noexcept;
  void mark_retrieved() noexcept { log_traceback_ = false; }
  bool gather_mark() const noexcept { return gather_mark_; }
  void set_gather_mark(bool m) noexcept { gather_mark_ = m; }

 protected:
  virtual ~FutureCore();
  virtual void destroy() noexcept { delete this; }
  // Destroys the future, after reporting what asyncio reports from __del__
  // (an exception never retrieved, a task destroyed while pending).
  void last_release() noexcept;
  void check_result_slow();
  std::exception_ptr exception_slow();
  virtual void report_on_destroy() noexcept;
  void schedule_callbacks() noexcept;
  // The loop's exception handler, or the default one once the loop is gone.
  void report(ExceptionContext& context) const noexcept;
  void fire(DoneCallbackNode* node);
  void ensure_pending(const char* operation) const;
  void bind_loop(EventLoop* loop) noexcept;
  void release_anchor() noexcept;
  [[noreturn]] void throw_no_loop() const;

  std::uint32_t refs_ = 1;
  FutureStatus status_ = FutureStatus::pending;
  bool log_traceback_ : 1 = false;  // an exception nobody has retrieved yet
  bool is_task_ : 1 = false;
  // TaskCore's flags, kept here in what would otherwise be padding.
  std::uint8_t task_phase_ : 2 = 0;
  bool must_cancel_ : 1 = false;
  bool body_started_ : 1 = false;
  bool inline_phase_ : 1 = false;
  bool done_inline_ : 1 = false;
  bool in_future_list_ : 1 = false;    // a task's node waits in a future's list
  bool parked_ : 1 = false;            // a task waits in a ParkingLot
  bool parked_cancelled_ : 1 = false;  // ... and was cancelled there
  bool parked_wait_ : 1 = false;       // the task's last suspension was a park()
  bool has_cold_ : 1 = false;          // has an entry in the Cold side table
  bool gather_mark_ : 1 = false;       // gather() is registering it (duplicate check)
  bool eager_start_ : 1 = false;       // a task: run its first step inside create_task
  bool in_task_factory_ : 1 = false;   // a task: the loop's task factory is looking at it
  bool parked_counting_ : 1 = false;   // parked_ in a CountingLot
  LoopAnchor* anchor_ = nullptr;  // how it reaches its loop (see loop_anchor.hpp)
  std::exception_ptr exc_;  // the exception, or the CancelledError of a cancelled task
  // The done callbacks, a circular list of DoneCallbackNodes linked by
  // next_ready; this points at the newest (the tail), whose next is the
  // oldest, so appending is O(1) even with 100,000 tasks awaiting one future.
  ReadyItem* callbacks_ = nullptr;
  // Unlinks the list and returns its oldest node (the rest follow, linked and
  // null-terminated).
  DoneCallbackNode* take_callbacks() noexcept;
  Cold& cold();
  Cold* find_cold() const noexcept { return has_cold_ ? cold_lookup() : nullptr; }
  Cold* cold_lookup() const noexcept;
};

template <class T>
struct ValueStorage {
  std::optional<T> value_;
  template <class U>
  void store(U&& v) {
    value_.emplace(std::forward<U>(v));
  }
  const T& get() const { return *value_; }
  T take() { return std::move(*value_); }
};
// A value with nothing to do when it goes away needs no flag saying whether
// it was stored (std::optional's, padded to 8 bytes for a double or a long):
// it is read only once the future's status says it holds one. That is 8 bytes
// less in the frame of every task returning a number or a pointer.
template <class T>
  requires std::is_trivially_destructible_v<T>
struct ValueStorage<T> {
  ValueStorage() noexcept {}
  template <class U>
  void store(U&& v) {
    ::new (static_cast<void*>(&value_)) T(std::forward<U>(v));
  }
  const T& get() const { return value_; }
  T take() { return std::move(value_); }
  union {
    T value_;
  };
};
template <>
struct ValueStorage<void> {
  void get() const noexcept {}
  void take() noexcept {}
};

template <class T>
class FutureState final : public FutureCore, public ValueStorage<T> {
 public:
  using FutureCore::FutureCore;
};

// A heap node for a user's done callback: `fn(handle)`, scheduled with
// call_soon when the future completes.
template <class Handle, class F>
struct UserCallbackNode : HeapCallbackNode {
  explicit UserCallbackNode(F f) : HeapCallbackNode(&kOps), fn(std::move(f)) {}
  static constexpr HeapCallbackOps kOps{
      [](DoneCallbackNode* n, FutureCore& core) {
        Handle handle = Handle::from_core(&core);
        static_cast<UserCallbackNode*>(n)->fn(handle);
      },
      [](DoneCallbackNode* n) noexcept { delete static_cast<UserCallbackNode*>(n); }};
  F fn;
};

// add_done_callback of every future-like handle: `fn(handle)` is scheduled
// with call_soon once `core` is done. Returns the id remove_done_callback takes.
#if AIO_HAS_CONTEXTVARS
template <class Handle, class F>
std::uint64_t add_user_done_callback_node(FutureCore& core, F fn) {
  auto* node = new UserCallbackNode<Handle, F>(std::move(fn));
  node->id = core.next_callback_id();
  std::uint64_t id = node->id;
  core.add_callback_node(node);
  return id;
}
template <class Handle, class F>
std::uint64_t add_user_done_callback(FutureCore& core, F fn) {
  // asyncio: context=None is copy_context() (null, and no allocation, if empty).
  return add_user_done_callback_node<Handle>(core,
                                             ContextBound<F>{ContextRef::adopt(capture_context()), std::move(fn)});
}
// add_done_callback(fn, context): `fn(handle)` runs in `context` itself.
template <class Handle, class F>
std::uint64_t add_user_done_callback(FutureCore& core, F fn, const Context& context) {
  return add_user_done_callback_node<Handle>(core, ContextBound<F>{ContextRef(context.state()), std::move(fn)});
}
#else
// The same body as add_user_done_callback_node's, not a call to it: the
// WebAssembly build does not inline (see AIO_HOT), and its package counts
// the bytes of every call.
template <class Handle, class F>
std::uint64_t add_user_done_callback(FutureCore& core, F fn) {
  auto* node = new UserCallbackNode<Handle, F>(std::move(fn));
  node->id = core.next_callback_id();
  std::uint64_t id = node->id;
  core.add_callback_node(node);
  return id;
}
#endif

/// asyncio's _ensure_future(fut, loop=loop) refuses a future that belongs to
/// another loop with ValueError: that loop's thread would run the callbacks
/// added to it. `advice` ends the message with what to do instead.
[[noreturn]] void throw_future_of_another_loop(std::string_view advice);

}  // namespace detail

/// A result that will be available later. See asyncio.Future.
template <class T = void>
class Future {
 public:
  using value_type = T;

  /// An empty handle; use `loop.create_future<T>()` to make a real one.
  Future() noexcept = default;
  explicit Future(EventLoop& loop) : s_(new detail::FutureState<T>(&loop)) {}
  Future(const Future& o) noexcept : s_(o.s_) {
    if (s_) s_->add_ref();
  }
  Future(Future&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  Future& operator=(Future o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  ~Future() {
    if (s_) s_->release();
  }
  static Future from_core(detail::FutureCore* core) noexcept {
    core->add_ref();
    return Future(static_cast<detail::FutureState<T>*>(core));
  }

  bool done() const noexcept { return s_->done(); }
  bool cancelled() const noexcept { return s_->cancelled(); }

  /// The result. Raises CancelledError if cancelled, InvalidStateError if not
  /// done yet, or the exception the future was given.
  decltype(auto) result() const {
    s_->check_result();
    if constexpr (!std::is_void_v<T>) return s_->get();
  }
  /// The exception (null if it finished with a result). Raises CancelledError
  /// if cancelled and InvalidStateError if not done yet.
  std::exception_ptr exception() const { return s_->exception(); }

  /// Mark the future done with `value` and schedule its callbacks. Raises
  /// InvalidStateError if it is already done.
  template <class U = T, class = std::enable_if_t<!std::is_void_v<U>>>
  void set_result(U&& value) {
    if (s_->done()) throw_invalid_set();
    s_->store(std::forward<U>(value));
    s_->finish_with_result();
  }
  template <class U = T, class = std::enable_if_t<std::is_void_v<U>>>
  void set_result() {
    if (s_->done()) throw_invalid_set();
    s_->finish_with_result();
  }
  void set_exception(std::exception_ptr e) { s_->set_exception(std::move(e)); }
  template <class E, class = std::enable_if_t<!std::is_same_v<std::decay_t<E>, std::exception_ptr>>>
  void set_exception(E&& e) {
    s_->set_exception(std::make_exception_ptr(std::forward<E>(e)));
  }
  /// Cancel the future and schedule its callbacks. Returns false if it was
  /// already done.
  bool cancel(std::string msg = {}) { return s_->cancel(std::move(msg)); }

  /// Schedule `fn(future)` with call_soon once the future is done (at once if
  /// it already is). Returns an id for remove_done_callback.
  template <class F>
  std::uint64_t add_done_callback(F fn) {
    return detail::add_user_done_callback<Future>(*s_, std::move(fn));
  }
#if AIO_HAS_CONTEXTVARS
  /// The same with asyncio's `context=`: `fn` runs in `context` itself, not
  /// in a copy of the context current now.
  template <class F>
  std::uint64_t add_done_callback(F fn, const Context& context) {
    return detail::add_user_done_callback<Future>(*s_, std::move(fn), context);
  }
#endif
  /// Remove a callback added by add_done_callback; returns how many were removed.
  std::size_t remove_done_callback(std::uint64_t id) noexcept { return s_->remove_callback_id(id); }

  /// The loop the future belongs to. RuntimeError if that loop was destroyed.
  EventLoop& get_loop() const { return s_->bound_loop(); }
  detail::FutureCore& core() const noexcept { return *s_; }
  explicit operator bool() const noexcept { return s_ != nullptr; }
  bool operator==(const Future& o) const noexcept { return s_ == o.s_; }

  auto operator co_await() const& noexcept;
  auto operator co_await() && noexcept;

 private:
  explicit Future(detail::FutureState<T>* s) noexcept : s_(s) {}
  [[noreturn]] void throw_invalid_set() const;
  detail::FutureState<T>* s_ = nullptr;
};

template <class T>
Future<T> EventLoop::create_future() {
  // No check_closed(), as in asyncio: a future made on a closed loop can still be
  // completed and read; only scheduling its done callbacks raises.
  return Future<T>(*this);
}

}  // namespace aio
