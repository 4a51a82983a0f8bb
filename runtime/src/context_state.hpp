#pragma once
// ContextState and the inline parts of finding the current context, for the
// loop and the tasks (private to src/; see aio/detail/context.hpp).
#include "aio/config.hpp"

#if AIO_HAS_CONTEXTVARS
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "aio/contextvars.hpp"
#include "aio/task.hpp"

namespace aio::detail {

// The values of a context, sorted by variable id. Immutable once made, so a
// copy of a context shares it and set() makes a new one: a context holds a
// handful of variables, so copying a small vector on set() costs less than a
// HAMT (Python's choice for big maps) would on every get(), and copy is O(1).
struct ContextItem {
  std::uint64_t var_id;
  ContextValue value;
};
using ContextMap = std::vector<ContextItem>;

class ContextState {
 public:
  ContextState() noexcept = default;
  explicit ContextState(std::shared_ptr<const ContextMap> m) noexcept : map(std::move(m)) {}
  std::atomic<std::uint32_t> refs{1};
  // Set while entered by Context::run() or a bound callback: one thread at a time.
  std::atomic<bool> entered{false};
  std::shared_ptr<const ContextMap> map;  // null: empty
};

// Per-thread base context (3. in aio/detail/context.hpp), null while empty.
extern thread_local constinit ContextState* t_base_context;

// Set for good by the first ContextVar made in the process. Until then no
// context can hold a value, so call_soon and create_task need not look for
// one to copy and a callback needs no context of its own: a program without
// ContextVars pays one load of this flag there, and no thread-local reads.
// Relaxed is enough: a thread that sees a context holding a value got it
// through something that synchronised with the thread that made the
// variable, after the variable was made.
extern std::atomic<bool> g_context_vars_exist;

AIO_HOT bool context_vars_exist() noexcept { return g_context_vars_exist.load(std::memory_order_relaxed); }

// A callback run before any ContextVar existed made one and set it: with no
// context of its own, the value went to the thread's base context. It was
// the callback's own, as if it had had one: dropped.
void drop_base_context() noexcept;

// The current context, or null while it is empty. Inline: call_soon and
// create_task ask.
AIO_HOT ContextState* current_context() noexcept {
  if (ContextState** slot = t_context_slot) return *slot;
  if (TaskCore* t = t_current_task) return t->context();
  return t_base_context;
}

AIO_HOT bool current_context_empty() noexcept {
  ContextState* s = current_context();
  return !s || !s->map;
}

// The slot of the current context, for ContextVar.set() to make it in: a
// task's is made in the Cold side table on first use.
inline ContextState** current_context_slot() {
  if (ContextState** slot = t_context_slot) return slot;
  if (TaskCore* t = t_current_task) return t->context_slot();
  return &t_base_context;
}

// A handle's run: a context of its own, empty unless the callback is bound
// to one (a captured copy or call_soon's `context`). Without it, a callback
// setting a variable would set it for every later callback. Costs a slot
// store and restore per callback once ContextVars exist, and an allocation
// only if the callback sets one.
class ScratchContext {
 public:
  ScratchContext() noexcept : saved_(t_context_slot) { t_context_slot = &state_; }
  ~ScratchContext() {
    t_context_slot = saved_;
    if (state_) [[unlikely]]
      context_release(state_);
  }
  ScratchContext(const ScratchContext&) = delete;
  ScratchContext& operator=(const ScratchContext&) = delete;

 private:
  ContextState* state_ = nullptr;
  ContextState** saved_;
};

// Task steps run by the loop read the task's context (2.): no slot may be
// left set around them (a loop run inside Context::run(), an eager step
// inside a callback).
class NoContextSlot {
 public:
  NoContextSlot() noexcept : saved_(t_context_slot) { t_context_slot = nullptr; }
  ~NoContextSlot() { t_context_slot = saved_; }
  NoContextSlot(const NoContextSlot&) = delete;
  NoContextSlot& operator=(const NoContextSlot&) = delete;

 private:
  ContextState** saved_;
};

}  // namespace aio::detail
#endif
