#pragma once
/// The one place where values and errors cross between C++ and JS.
///
/// JS values live in C++ as emscripten::val. Errors go both ways:
///   - a JS value thrown by JS code (a generator, a callback, a rejected
///     promise) travels through C++ futures as a JsError holding the value
///     itself, so that JS code awaiting it gets the very same object back;
///   - a C++ exception reaching JS becomes an Error subclass named after the
///     asyncio exception (to_js_error), built by the JS layer (index.js).
/// Binding functions never let a C++ exception escape into JS (it would be an
/// opaque WebAssembly.Exception): they catch it, park the JS error with
/// stash_error(), and the JS wrapper throws it (see `check` in index.js).
#include <emscripten/val.h>

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "aio/errors.hpp"
#include "aio/event_loop.hpp"
#include "aio/future.hpp"
#include "aio/task.hpp"

namespace aio::wasm {

using emscripten::val;
using EM_VAL = emscripten::EM_VAL;

/// An owned handle to a JS value, for the hot paths: like val, but moving
/// one or dropping a constant (undefined, null, true, false) or an empty one
/// costs no call into JS, where every val destructor calls _emval_decref.
class JsRef {
 public:
  JsRef() noexcept = default;
  /// Takes over a handle the caller owns (from Emval.toHandle in JS).
  static JsRef adopt(EM_VAL h) noexcept {
    JsRef r;
    r.h_ = h;
    return r;
  }
  /// A new reference to what `v` holds.
  static JsRef copy(const val& v) noexcept { return JsRef(v.as_handle()); }
  JsRef(JsRef&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  JsRef& operator=(JsRef&& o) noexcept {
    std::swap(h_, o.h_);
    return *this;
  }
  JsRef(const JsRef&) = delete;
  JsRef& operator=(const JsRef&) = delete;
  ~JsRef() { reset(); }
  /// A second reference to the same value.
  JsRef clone() const noexcept { return JsRef(h_); }
  EM_VAL handle() const noexcept { return h_ ? h_ : undefined_handle(); }
  /// The value as a val (a new reference).
  val get() const {
    if (counted(h_)) emscripten::internal::_emval_incref(h_);
    return val::take_ownership(handle());
  }
  void reset() noexcept {
    if (counted(h_)) emscripten::internal::_emval_decref(h_);
    h_ = nullptr;
  }

 private:
  explicit JsRef(EM_VAL h) noexcept : h_(h) {
    if (counted(h_)) emscripten::internal::_emval_incref(h_);
  }
  // Handles 1 to 4 are undefined, null, true and false: not counted.
  static bool counted(EM_VAL h) noexcept { return reinterpret_cast<std::uintptr_t>(h) > 4; }
  static EM_VAL undefined_handle() noexcept { return reinterpret_cast<EM_VAL>(1); }
  EM_VAL h_ = nullptr;
};

/// A JS value thrown or rejected by JS code, carried through C++ futures.
/// A std::exception, so that a TaskGroup holding JS errors is an
/// ExceptionGroup (as a Python group of ordinary exceptions is); a
/// ForeignError, so that reprs and the loop's reports name it by its JS
/// class: TypeError('bad value') ("JsError" for a thrown non-Error value).
class JsError : public ForeignError {
 public:
  explicit JsError(val value);
  const char* what() const noexcept override { return what_.c_str(); }
  const char* type_name() const noexcept override { return type_name_.c_str(); }
  const val& value() const noexcept { return value_; }

 private:
  val value_;
  std::string type_name_;  // error.name
  std::string what_;       // error.message, or String(value)
};

/// The JS error for a C++ exception: the original JS value for a JsError,
/// else an instance of the asyncio-named class (CancelledError, TimeoutError,
/// ExceptionGroup with `.exceptions` converted in turn, ...).
val to_js_error(const std::exception_ptr& e);

/// Park the JS error for `e`; the JS wrapper of the binding throws it.
void stash_error(const std::exception_ptr& e);

/// Run `f`, turning a C++ exception into a stashed JS error and a default
/// return value. Every binding that can throw goes through this.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (...) {
    stash_error(std::current_exception());
  }
  using R = decltype(f());
  if constexpr (std::is_same_v<R, val>)
    return val::undefined();
  else if constexpr (!std::is_void_v<R>)
    return R{};
}

/// Call a JS function with no arguments; a JS exception becomes JsError.
void call_js(const val& fn);
/// Call a JS function with (ok, value); a JS exception becomes JsError.
void call_js2(const val& fn, bool ok, const val& value);

/// Something outside the loop's own callbacks scheduled work on it: make
/// sure the web host runs a slice.
void wake(EventLoop& loop) noexcept;

/// The result of a finished Future<val> or Task<val> core (which one is
/// told by is_task()); throws what result() throws.
val core_result(detail::FutureCore& core);

/// Addresses handed to JS: a JS object holds one reference to the core.
inline std::uintptr_t to_js_ptr(detail::FutureCore& core) {
  core.add_ref();
  return reinterpret_cast<std::uintptr_t>(&core);
}
inline detail::FutureCore& core_of(std::uintptr_t p) { return *reinterpret_cast<detail::FutureCore*>(p); }
inline EventLoop& loop_of(std::uintptr_t p) { return *reinterpret_cast<EventLoop*>(p); }

/// A Future<val> or Task<val> seen through its core: what the combinators
/// (gather, wait, shield, wait_for) are instantiated with, so that JS can
/// mix futures and tasks in one call.
class JsFut {
 public:
  using value_type = val;
  JsFut() noexcept = default;
  explicit JsFut(detail::FutureCore* c) noexcept : c_(c) {
    if (c_) c_->add_ref();
  }
  JsFut(const JsFut& o) noexcept : JsFut(o.c_) {}
  JsFut(JsFut&& o) noexcept : c_(std::exchange(o.c_, nullptr)) {}
  JsFut& operator=(JsFut o) noexcept {
    std::swap(c_, o.c_);
    return *this;
  }
  ~JsFut() {
    if (c_) c_->release();
  }
  detail::FutureCore& core() const noexcept { return *c_; }
  bool done() const noexcept { return c_->done(); }
  bool cancelled() const noexcept { return c_->cancelled(); }
  bool cancel(std::string msg = {}) { return c_->cancel(std::move(msg)); }
  val result() const { return core_result(*c_); }
  std::exception_ptr exception() const { return c_->exception(); }
  EventLoop& get_loop() const { return c_->bound_loop(); }
  template <class F>
  std::uint64_t add_done_callback(F fn) {
    return detail::add_user_done_callback<JsFut>(*c_, std::move(fn));
  }
  std::size_t remove_done_callback(std::uint64_t id) noexcept { return c_->remove_callback_id(id); }
  static JsFut from_core(detail::FutureCore* core) noexcept { return JsFut(core); }
  auto operator co_await() const noexcept;

 private:
  detail::FutureCore* c_ = nullptr;
};

// Awaits a JsFut like FutureAwaiter awaits a typed future.
struct JsFutAwaiter {
  detail::FutureCore* fut;
  bool suspended = false;
  bool await_ready() const noexcept { return fut->done(); }
  void await_suspend(coro::coroutine_handle<> h) {
    detail::current_task_or_throw().wait_on(h, *fut, fut->is_task() ? "task" : "future");
    suspended = true;
  }
  val await_resume() {
    if (suspended) detail::t_current_task->throw_if_cancel_requested(*fut);
    return core_result(*fut);
  }
};

inline auto JsFut::operator co_await() const noexcept { return JsFutAwaiter{c_}; }

}  // namespace aio::wasm
