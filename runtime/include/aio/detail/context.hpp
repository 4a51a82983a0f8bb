#pragma once
// The machinery under aio/contextvars.hpp that tasks, handles and futures
// need: a reference to a context, entering one, and binding a callback to one.
//
// Where the current context lives (see runtime/docs/design.md): a Context is
// a ContextState, and "current" is a slot holding a ContextState pointer,
// found in this order:
//   1. t_context_slot, if set: inside Context::run(), a callback bound to a
//      context, or a handle's run (a slot of its own, empty at first);
//   2. else the running task's context, TaskCore::context() (no store per
//      task step: t_current_task is set by every step anyway);
//   3. else the thread's base context.
// A null slot is an empty context, made into a ContextState only when a
// ContextVar is set in it. A program that never sets one never allocates one,
// and tasks and handles only copy null pointers.
#include "aio/config.hpp"

#if AIO_HAS_CONTEXTVARS
#include <utility>

namespace aio::detail {

class ContextState;

// Per-thread: the slot of the context entered last (1. above), or null.
extern thread_local constinit ContextState** t_context_slot;

// References are atomic: a context can travel to another thread (to_thread,
// call_soon_threadsafe) and be released there.
void context_add_ref(ContextState* s) noexcept;
void context_release(ContextState* s) noexcept;

/// An owning pointer to a ContextState (intrusive count: one word in a task,
/// not a shared_ptr's two).
class ContextRef {
 public:
  ContextRef() noexcept = default;
  static ContextRef adopt(ContextState* s) noexcept {
    ContextRef r;
    r.s_ = s;
    return r;
  }
  explicit ContextRef(ContextState* s) noexcept : s_(s) {
    if (s_) context_add_ref(s_);
  }
  ContextRef(const ContextRef& o) noexcept : ContextRef(o.s_) {}
  ContextRef(ContextRef&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  ContextRef& operator=(ContextRef o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  ~ContextRef() {
    if (s_) context_release(s_);
  }
  ContextState* get() const noexcept { return s_; }
  /// The pointer itself, as a slot of the current context (see OwnContext).
  ContextState** slot() noexcept { return &s_; }

 private:
  ContextState* s_ = nullptr;
};

/// A copy of the current context for a task or callback made now
/// (asyncio's copy_context() in call_soon, Task.__init__, add_done_callback):
/// null (with no allocation) when the current context is empty.
ContextState* capture_context();

/// Runs the rest of a scope in `s` (Context.run's enter/exit). RuntimeError
/// if `s` is entered already. A null `s` enters nothing.
class ContextEntry {
 public:
  explicit ContextEntry(ContextState* s);
  ~ContextEntry();
  ContextEntry(const ContextEntry&) = delete;
  ContextEntry& operator=(const ContextEntry&) = delete;

 private:
  ContextState* state_;
  ContextState** saved_ = nullptr;
};

/// A callable run in a given context: what asyncio's Handle(context=) does.
template <class F>
struct ContextBound {
  ContextRef context;
  F fn;
  template <class... A>
  decltype(auto) operator()(A&&... args) {
    ContextEntry entry(context.get());
    return fn(std::forward<A>(args)...);
  }
};

/// The context of a callback that runs many times: asyncio's Handle made by
/// add_reader or add_signal_handler, which is a copy of the context current
/// when it was made, kept across its runs (a variable one run sets, the next
/// sees). A transport's reads, writes and connection_lost run in one (from
/// copy_of_current() when the transport was made), so a protocol sees the
/// variables of the task that connected, or of the one that started the
/// server. Null while empty, as every slot: it allocates only when a run sets
/// a variable or the copied context held one.
class OwnContext {
 public:
  OwnContext() noexcept = default;
  OwnContext(OwnContext&&) noexcept = default;  // not copyable: its own
  OwnContext& operator=(OwnContext&&) noexcept = default;
  /// A copy of the current context (capture_context()).
  static OwnContext copy_of_current() {
    OwnContext c;
    c.ref_ = ContextRef::adopt(capture_context());
    return c;
  }

  /// Runs the rest of a scope in the context. It is not marked entered
  /// (nobody else can reach it to enter it too), which costs two stores of a
  /// thread-local per run.
  class Scope {
   public:
    explicit Scope(OwnContext& c) noexcept : saved_(std::exchange(t_context_slot, c.ref_.slot())) {}
    ~Scope() { t_context_slot = saved_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    ContextState** saved_;
  };

 private:
  ContextRef ref_;
};

}  // namespace aio::detail
#endif
