#pragma once
/// Python's contextvars, as asyncio uses it: ContextVar<T>, Token<T>, Context,
/// copy_context().
///
///     aio::ContextVar<std::string> request_id("request_id", "-");
///     auto token = request_id.set("r1");   // visible to tasks created after
///     request_id.get();                    // "r1"
///     request_id.reset(token);
///
/// Every task runs in a context of its own: create_task copies the current
/// one (or shares the one passed as create_task's `context`), so a set()
/// inside a task is invisible to its parent and to tasks created before it.
/// call_soon, call_later, call_at, call_soon_threadsafe and add_done_callback
/// run their callback in a copy of the context current when they were
/// called, or in the Context given to them; to_thread runs its function in a
/// copy too (run_in_executor does not). A thread outside any loop has a base
/// context of its own.
///
/// A Context is used by one thread at a time (Python's rule, which its
/// Context.run enforces: so does ours). Values are copied in and out: get()
/// returns a copy of the value, as Python hands out a reference to an
/// immutable object; for a large or mutable value use a shared_ptr.
///
/// Not in the WebAssembly build (AIO_HAS_CONTEXTVARS, aio/config.hpp).
#include "aio/config.hpp"

#if AIO_HAS_CONTEXTVARS
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "aio/detail/context.hpp"
#include "aio/errors.hpp"

namespace aio {

template <class T>
class ContextVar;
class Context;

namespace detail {

using ContextValue = std::shared_ptr<const void>;

// What every ContextVar<T> is without its type: the context map stores
// values type-erased under the variable's id, and only a ContextVar<T>
// reads them back as T.
class ContextVarBase {
 public:
  ContextVarBase(const ContextVarBase&) = delete;
  ContextVarBase& operator=(const ContextVarBase&) = delete;
  const std::string& name() const noexcept { return name_; }
  std::uint64_t id() const noexcept { return id_; }
  /// Python's repr: `<ContextVar name='x' at 0x...>`.
  std::string repr() const;

 protected:
  ContextVarBase(std::string name, ContextValue default_value);
  ~ContextVarBase() = default;
  // The value in the current context, or null.
  const ContextValue* find() const;
  // get() without a value or default: LookupError.
  [[noreturn]] void throw_lookup() const;

  std::string name_;
  std::uint64_t id_;
  ContextValue default_;  // null: no default
};

// A Token's state, shared by its copies (the `used` flag is one per set()).
struct TokenState {
  TokenState(const ContextVarBase* var, ContextState* ctx, ContextValue old) noexcept;
  ~TokenState();
  TokenState(const TokenState&) = delete;
  TokenState& operator=(const TokenState&) = delete;
  std::string repr() const;

  const ContextVarBase* var;
  ContextState* context;   // a reference: the context set() was called in
  ContextValue old_value;  // null: Token.MISSING
  bool used = false;
};

std::shared_ptr<TokenState> context_set(const ContextVarBase& var, ContextValue value);
void context_reset(const ContextVarBase& var, TokenState& token);
const ContextValue* context_find(const ContextState* s, std::uint64_t id) noexcept;
std::size_t context_size(const ContextState* s) noexcept;

}  // namespace detail

/// What ContextVar::set() returns, for ContextVar::reset() (contextvars.Token).
template <class T>
class Token {
 public:
  /// old_value() of a Token whose variable had no value before set().
  static constexpr std::nullopt_t MISSING = std::nullopt;

  const ContextVar<T>& var() const noexcept { return *static_cast<const ContextVar<T>*>(s_->var); }
  /// The value before set(), or MISSING.
  std::optional<T> old_value() const {
    if (!s_->old_value) return MISSING;
    return *static_cast<const T*>(s_->old_value.get());
  }
  std::string repr() const { return s_->repr(); }

 private:
  friend class ContextVar<T>;
  explicit Token(std::shared_ptr<detail::TokenState> s) noexcept : s_(std::move(s)) {}
  std::shared_ptr<detail::TokenState> s_;
};

/// contextvars.ContextVar: a variable whose value depends on the context it
/// is read in. Declare it once (at namespace scope, as Python declares them at
/// module level): a Token refers to its variable, and the variable's identity
/// is what reset() checks.
template <class T>
class ContextVar : public detail::ContextVarBase {
 public:
  explicit ContextVar(std::string name) : ContextVarBase(std::move(name), nullptr) {}
  ContextVar(std::string name, T default_value)
      : ContextVarBase(std::move(name), std::make_shared<const T>(std::move(default_value))) {}

  /// The value in the current context; else the variable's default; else
  /// LookupError.
  T get() const {
    if (const detail::ContextValue* v = find()) return as_value(*v);
    if (default_) return as_value(default_);
    throw_lookup();
  }
  /// The value in the current context, else `default_value` (which is
  /// preferred over the variable's own default, as in Python).
  T get(T default_value) const {
    if (const detail::ContextValue* v = find()) return as_value(*v);
    return default_value;
  }
  /// Give the variable `value` in the current context. The Token undoes it.
  Token<T> set(T value) const {
    return Token<T>(detail::context_set(*this, std::make_shared<const T>(std::move(value))));
  }
  /// Put back the value the variable had before `token`'s set(). RuntimeError
  /// if the token was used already; ValueError if another variable made it,
  /// or if it was made in another Context.
  void reset(const Token<T>& token) const { detail::context_reset(*this, *token.s_); }

 private:
  static const T& as_value(const detail::ContextValue& v) noexcept { return *static_cast<const T*>(v.get()); }
};

/// contextvars.Context: a mapping of ContextVars to their values. Copies of a
/// Context object are the same context (like Python references); copy() and
/// copy_context() make a new one with the same values, in O(1): the map is
/// immutable and shared until one of them sets a variable.
class Context {
 public:
  /// An empty context (Python's Context()).
  Context();
  Context(const Context&) noexcept = default;
  Context(Context&&) noexcept = default;
  Context& operator=(const Context&) noexcept = default;
  Context& operator=(Context&&) noexcept = default;
  ~Context() = default;

  /// Call fn(args...) with this context as the current one: the ContextVars
  /// it sets are set here. RuntimeError "cannot enter context: ... is already
  /// entered" if this context is current already (on any thread).
  template <class F, class... A>
  decltype(auto) run(F&& fn, A&&... args) const {
    detail::ContextEntry entry(s_.get());
    return std::forward<F>(fn)(std::forward<A>(args)...);
  }
  Context copy() const;

  /// The variable's value in this context, or nullopt.
  template <class T>
  std::optional<T> get(const ContextVar<T>& var) const {
    if (const detail::ContextValue* v = detail::context_find(s_.get(), var.id()))
      return *static_cast<const T*>(v->get());
    return std::nullopt;
  }
  template <class T>
  bool contains(const ContextVar<T>& var) const {
    return detail::context_find(s_.get(), var.id()) != nullptr;
  }
  /// How many variables have a value here.
  std::size_t size() const noexcept { return detail::context_size(s_.get()); }
  /// `<Context object at 0x...>`.
  std::string repr() const;
  /// The same context (Python's `is`).
  bool operator==(const Context& o) const noexcept { return s_.get() == o.s_.get(); }

  /// The machinery's view (tasks and handles hold a ContextState).
  detail::ContextState* state() const noexcept { return s_.get(); }
  static Context from_state(detail::ContextState* s) noexcept;  // adopts a reference

 private:
  explicit Context(detail::ContextRef s) noexcept : s_(std::move(s)) {}
  detail::ContextRef s_;  // never null
};

/// A copy of the current context (contextvars.copy_context()).
Context copy_context();

}  // namespace aio
#endif
