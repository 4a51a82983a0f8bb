// contextvars: see aio/contextvars.hpp and aio/detail/context.hpp.
#include "aio/contextvars.hpp"

#if AIO_HAS_CONTEXTVARS
#include <algorithm>
#include <atomic>

#include "aio/detail/str_repr.hpp"
#include "context_state.hpp"

namespace aio {
namespace detail {

constinit thread_local ContextState** t_context_slot = nullptr;
constinit thread_local ContextState* t_base_context = nullptr;
std::atomic<bool> g_context_vars_exist{false};

namespace {

std::atomic<std::uint64_t> g_next_var_id{1};

// Releases the thread's base context when the thread ends. A separate
// thread_local with a destructor, touched only when the base context is made,
// so that reading t_base_context stays a plain thread-local load.
struct BaseContextOwner {
  bool armed = false;
  ~BaseContextOwner() {
    if (ContextState* s = std::exchange(t_base_context, nullptr)) context_release(s);
  }
};
thread_local BaseContextOwner t_base_owner;

// The current context's state, made (empty) if the slot holds none yet.
ContextState* materialize_current() {
  ContextState** slot = current_context_slot();
  if (!*slot) {
    if (slot == &t_base_context) t_base_owner.armed = true;  // registers the owner's destructor
    *slot = new ContextState();
  }
  return *slot;
}

const ContextValue* find_in(const ContextMap& map, std::uint64_t id) noexcept {
  auto it = std::lower_bound(map.begin(), map.end(), id,
                             [](const ContextItem& item, std::uint64_t key) { return item.var_id < key; });
  return it != map.end() && it->var_id == id ? &it->value : nullptr;
}

// A new map: `old` with `id` set to `value`, or removed if `value` is null.
std::shared_ptr<const ContextMap> with(const std::shared_ptr<const ContextMap>& old, std::uint64_t id,
                                       ContextValue value) {
  auto map = std::make_shared<ContextMap>();
  if (old) {
    map->reserve(old->size() + 1);
    *map = *old;
  }
  auto it = std::lower_bound(map->begin(), map->end(), id,
                             [](const ContextItem& item, std::uint64_t key) { return item.var_id < key; });
  bool present = it != map->end() && it->var_id == id;
  if (value && present)
    it->value = std::move(value);
  else if (value)
    map->insert(it, ContextItem{id, std::move(value)});
  else if (present)
    map->erase(it);
  // An empty map is a null one: a context whose variables were all reset is
  // empty again, and copying it costs nothing.
  if (map->empty()) return nullptr;
  return map;
}

}  // namespace

void context_add_ref(ContextState* s) noexcept { s->refs.fetch_add(1, std::memory_order_relaxed); }

void context_release(ContextState* s) noexcept {
  if (s->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete s;
}

void drop_base_context() noexcept {
  if (ContextState* s = std::exchange(t_base_context, nullptr)) context_release(s);
}

ContextState* capture_context() {
  ContextState* s = current_context();
  if (!s || !s->map) return nullptr;
  return new ContextState(s->map);
}

ContextEntry::ContextEntry(ContextState* s) : state_(s) {
  if (!s) return;
  // A task's own context is current during its steps without being marked
  // entered (that would cost a store per step), so it is recognised here.
  bool was_entered = s->entered.exchange(true, std::memory_order_acquire);
  if (was_entered || s == current_context()) {
    if (!was_entered) s->entered.store(false, std::memory_order_release);
    throw RuntimeError("cannot enter context: <Context object at " + address_repr(s) + "> is already entered");
  }
  saved_ = std::exchange(t_context_slot, &state_);
}

ContextEntry::~ContextEntry() {
  if (!state_) return;
  t_context_slot = saved_;
  state_->entered.store(false, std::memory_order_release);
}

ContextVarBase::ContextVarBase(std::string name, ContextValue default_value)
    : name_(std::move(name)),
      id_(g_next_var_id.fetch_add(1, std::memory_order_relaxed)),
      default_(std::move(default_value)) {
  g_context_vars_exist.store(true, std::memory_order_relaxed);
}

std::string ContextVarBase::repr() const { return "<ContextVar name='" + name_ + "' at " + address_repr(this) + ">"; }

const ContextValue* ContextVarBase::find() const { return context_find(current_context(), id_); }

void ContextVarBase::throw_lookup() const { throw LookupError(repr()); }

const ContextValue* context_find(const ContextState* s, std::uint64_t id) noexcept {
  if (!s || !s->map) return nullptr;
  return find_in(*s->map, id);
}

std::size_t context_size(const ContextState* s) noexcept { return s && s->map ? s->map->size() : 0; }

TokenState::TokenState(const ContextVarBase* var, ContextState* ctx, ContextValue old) noexcept
    : var(var), context(ctx), old_value(std::move(old)) {
  context_add_ref(context);
}

TokenState::~TokenState() { context_release(context); }

std::string TokenState::repr() const {
  return std::string("<Token ") + (used ? "used " : "") + "var=" + var->repr() + " at " + address_repr(this) + ">";
}

std::shared_ptr<TokenState> context_set(const ContextVarBase& var, ContextValue value) {
  ContextState* s = materialize_current();
  const ContextValue* old = s->map ? find_in(*s->map, var.id()) : nullptr;
  auto token = std::make_shared<TokenState>(&var, s, old ? *old : nullptr);
  s->map = with(s->map, var.id(), std::move(value));
  return token;
}

void context_reset(const ContextVarBase& var, TokenState& token) {
  // CPython's checks, in its order and with its messages.
  if (token.used) throw RuntimeError(token.repr() + " has already been used once");
  if (token.var != &var) throw ValueError(token.repr() + " was created by a different ContextVar");
  if (token.context != current_context()) throw ValueError(token.repr() + " was created in a different Context");
  token.used = true;
  ContextState* s = token.context;
  s->map = with(s->map, var.id(), token.old_value);
}

}  // namespace detail

Context::Context() : s_(detail::ContextRef::adopt(new detail::ContextState())) {}

Context Context::copy() const { return Context(detail::ContextRef::adopt(new detail::ContextState(s_.get()->map))); }

std::string Context::repr() const { return "<Context object at " + detail::address_repr(s_.get()) + ">"; }

Context Context::from_state(detail::ContextState* s) noexcept { return Context(detail::ContextRef::adopt(s)); }

Context copy_context() {
  detail::ContextState* s = detail::current_context();
  return Context::from_state(new detail::ContextState(s ? s->map : nullptr));
}

}  // namespace aio
#endif
