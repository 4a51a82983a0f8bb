#pragma once
/// The C++ side of the conformance suite: a mirror of py/harness.py.
///
/// A scenario twin uses these helpers exactly where the Python scenario uses
/// harness.py's, so that both print the same bytes: `log()` formats its parts
/// with Python's str(), the loop runs on the virtual clock, and the exception
/// handler prints the same line as harness.default_handler.
///
/// Scenarios register themselves with AIO_SCENARIO("NNN_name") { ... } and
/// the `aio_conformance NNN_name` binary runs one of them.
#include <algorithm>
#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "aio/aio.hpp"

namespace conformance {

// ---- Python's built-in exceptions the scenarios raise ---------------------------
// exception_type_name() drops the namespace, so these print as Python's names.

using ValueError = aio::ValueError;
struct ZeroDivisionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct KeyError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
using RuntimeError = aio::RuntimeError;

// ---- Python str() / repr() ------------------------------------------------------

/// Python's repr() of a float: the shortest digits that read back as the same
/// double, "1.0" for integral values, exponent notation below 1e-4 and from
/// 1e16 on ("1e-05", "1e+16"), "inf", "nan".
std::string float_repr(double x);
namespace detail {
// float_repr with the digits from std::to_chars (when the library has it) or
// from printf (the fallback for libc++ 13); tests compare the two.
std::string float_repr(double x, bool use_to_chars);
}  // namespace detail

/// Python's repr() of a str: single quotes unless the text holds a single
/// quote and no double quote; backslashes and the chosen quote escaped.
std::string str_repr(const std::string& s);

/// Python's repr() of bytes (b'...', as str() of bytes prints too): like
/// str_repr, but bytes from 0x80 on are escaped (\xNN).
std::string bytes_repr(const std::string& b);

/// A Python bytes object (the streams' data): printed as b'...' by log() and
/// inside lists.
struct Bytes {
  std::string data;
};

/// Python's None, for log(None) and lists holding None.
struct NoneType {};
inline constexpr NoneType None{};

struct Obj;

namespace detail {
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_tuple : std::false_type {};
template <class... T>
struct is_tuple<std::tuple<T...>> : std::true_type {};
template <class A, class B>
struct is_tuple<std::pair<A, B>> : std::true_type {};
}  // namespace detail

template <class T>
std::string py_repr(const T& v);

/// Python's str(v) for the C++ value standing for a Python value: bool ->
/// True/False, integers, floats (float_repr), strings as they are, empty
/// optional / null exception_ptr -> None, vectors as lists and tuples/pairs as
/// tuples (their elements in repr()), an exception_ptr as str(exception).
template <class T>
std::string py_str(const T& v) {
  using D = std::decay_t<T>;
  if constexpr (std::is_same_v<D, bool>) {
    return v ? "True" : "False";
  } else if constexpr (std::is_same_v<D, NoneType> || std::is_same_v<D, std::nullptr_t>) {
    return "None";
  } else if constexpr (std::is_same_v<D, Obj>) {
    return v.str;
  } else if constexpr (std::is_same_v<D, Bytes>) {
    return bytes_repr(v.data);
  } else if constexpr (std::is_floating_point_v<D>) {
    return float_repr(static_cast<double>(v));
  } else if constexpr (std::is_integral_v<D>) {
    return std::to_string(v);
  } else if constexpr (std::is_convertible_v<const T&, std::string>) {
    return std::string(v);
  } else if constexpr (std::is_same_v<D, std::exception_ptr>) {
    return v ? aio::exception_message(v) : "None";
  } else if constexpr (detail::is_optional<D>::value) {
    return v ? py_str(*v) : "None";
  } else if constexpr (detail::is_vector<D>::value || detail::is_tuple<D>::value) {
    return py_repr(v);
  } else {
    static_assert(sizeof(T) == 0, "py_str: no Python counterpart for this type");
  }
}

/// Python's repr(v): like py_str, but strings are quoted and floats/ints are
/// the same.
template <class T>
std::string py_repr(const T& v) {
  using D = std::decay_t<T>;
  if constexpr (std::is_same_v<D, Obj>) {
    return v.repr;
  } else if constexpr (std::is_same_v<D, bool> || std::is_arithmetic_v<D> || std::is_same_v<D, NoneType> ||
                       std::is_same_v<D, std::nullptr_t>) {
    return py_str(v);
  } else if constexpr (std::is_convertible_v<const T&, std::string>) {
    return str_repr(std::string(v));
  } else if constexpr (detail::is_optional<D>::value) {
    return v ? py_repr(*v) : "None";
  } else if constexpr (detail::is_vector<D>::value) {
    std::string s = "[";
    bool first = true;
    for (const auto& item : v) {
      if (!first) s += ", ";
      first = false;
      // As value_type: libc++'s vector<bool> yields a bit reference, not bool.
      s += py_repr(static_cast<const typename D::value_type&>(item));
    }
    return s + "]";
  } else if constexpr (detail::is_tuple<D>::value) {
    std::string s = "(";
    std::size_t n = 0;
    std::apply([&](const auto&... items) { ((s += (n++ ? ", " : "") + py_repr(items)), ...); }, v);
    return s + (n == 1 ? ",)" : ")");
  } else {
    return py_str(v);
  }
}

/// Any Python value, rendered once; lets a list mix types
/// (`std::vector<Obj>{1, "ValueError: boom"}` prints `[1, 'ValueError: boom']`).
struct Obj {
  std::string str;
  std::string repr;
  template <class T, class = std::enable_if_t<!std::is_same_v<std::decay_t<T>, Obj>>>
  Obj(const T& v) : str(py_str(v)), repr(py_repr(v)) {}  // NOLINT(google-explicit-constructor)
};

/// Python's `sorted()` of a list.
template <class T>
std::vector<T> sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// ---- output ---------------------------------------------------------------------

/// The time log() prints: the running loop's, else the most recent loop's.
double now();

/// print(f"{now():.3f} " + " ".join(str(p) for p in parts)).
///
/// The braced form `log({a, b()})` evaluates its parts left to right, as
/// Python does; the variadic form `log(a, b())` does not (C++ leaves the order
/// of function arguments unspecified), so use it only when no part has a side
/// effect (cancel(), run_until_complete(), ...).
void log(std::initializer_list<Obj> parts);
template <class... P>
void log(const P&... parts) {
  log({Obj(parts)...});
}

/// print(line) (no time prefix).
void print(const std::string& line);

/// "TypeName: message", or just "TypeName" when the message is empty.
std::string fmt_exc(const std::exception_ptr& e);
/// fmt_exc of the exception being handled (inside a catch block).
std::string fmt_exc();

/// log(*prefix, fmt_exc(e)); the members of an exception group follow on
/// their own lines, indented two spaces per level, without a time prefix.
void print_exc(const std::exception_ptr& e, std::initializer_list<Obj> prefix = {});

// ---- the virtual loop -------------------------------------------------------------

/// harness.default_handler: "T [exception handler] message[ | Type: msg]";
/// a message starting with "Exception in callback" is cut to that prefix.
void default_handler(aio::EventLoop& loop, const aio::ExceptionContext& context);

/// A new loop on the virtual clock with default_handler, made current for
/// log(). It lives until the next new_loop()/run() or the end of the scenario.
aio::EventLoop& new_loop();

namespace detail {
// Owns the Runner of one run(): the loop stays the one log() reads until the
// Runner has closed it (shutdown may still report through the handler).
class RunScope {
 public:
  RunScope();
  RunScope(const RunScope&) = delete;
  RunScope& operator=(const RunScope&) = delete;
  ~RunScope();
  aio::Runner& runner() noexcept { return *runner_; }

 private:
  std::optional<aio::Runner> runner_;
};
}  // namespace detail

/// harness.run: asyncio.run(main()) on a fresh virtual loop (aio::Runner:
/// leftover tasks are cancelled in creation order and awaited, then the loop
/// is closed). `main` is a coroutine function; returns its result, and its
/// exception propagates.
template <class F>
auto run(F&& main) {
  detail::RunScope scope;
  return scope.runner().run(main());
}

/// Runs `fn` when the scope ends: Python's `finally:` for scenario code.
template <class F>
struct Finally {
  F fn;
  ~Finally() { fn(); }
};
template <class F>
Finally(F) -> Finally<F>;

// ---- small Python stand-ins ----------------------------------------------------------

/// f"{x:.3f}" (any number of decimals).
std::string fixed(double x, int decimals = 3);

/// The part of an exception group that `except* E` catches (Python's
/// eg.split(E)[0]): a group with the same message and nesting that holds only
/// the members of type E, or null when there is none.
template <class E>
std::exception_ptr exc_subgroup(const std::exception_ptr& e) {
  // The members of `group` of type E, kept; empty when none.
  auto members = [](const aio::BaseExceptionGroup& group) {
    std::vector<std::exception_ptr> kept;
    for (const auto& sub : group.exceptions())
      if (auto part = exc_subgroup<E>(sub)) kept.push_back(part);
    return kept;
  };
  try {
    std::rethrow_exception(e);
  } catch (const aio::ExceptionGroup& group) {  // before its base: the wasm build has no RTTI for a dynamic_cast
    auto kept = members(group);
    return kept.empty() ? nullptr : std::make_exception_ptr(aio::ExceptionGroup(group.message(), std::move(kept)));
  } catch (const aio::BaseExceptionGroup& group) {
    auto kept = members(group);
    return kept.empty() ? nullptr
                        : std::make_exception_ptr(aio::BaseExceptionGroup(group.message(), std::move(kept)));
  } catch (const E&) {
    return e;
  } catch (...) {
    return nullptr;
  }
}

// ---- the scenario registry ----------------------------------------------------------

using ScenarioFn = void (*)();
std::map<std::string, ScenarioFn>& registry();
/// Closes and forgets the loop of new_loop() (the end of a scenario).
void forget_loops();
struct Registrar {
  Registrar(const char* name, ScenarioFn fn) { registry()[name] = fn; }
};

}  // namespace conformance

#define AIO_CONFORMANCE_CAT2(a, b) a##b
#define AIO_CONFORMANCE_CAT(a, b) AIO_CONFORMANCE_CAT2(a, b)
/// Defines and registers the body of scenario `name` ("NNN_name", the file
/// name of its Python original without .py).
#define AIO_SCENARIO(name)                                                                 \
  static void AIO_CONFORMANCE_CAT(aio_scenario_, __LINE__)();                              \
  static const ::conformance::Registrar AIO_CONFORMANCE_CAT(aio_scenario_registrar_, __LINE__)( \
      name, &AIO_CONFORMANCE_CAT(aio_scenario_, __LINE__));                                \
  static void AIO_CONFORMANCE_CAT(aio_scenario_, __LINE__)()
