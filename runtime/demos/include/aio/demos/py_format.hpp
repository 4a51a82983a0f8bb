#pragma once
/// Python's str() and repr() for the values demos print, so that a demo's
/// output matches its CPython twin byte for byte (see DemoContext::print).
///
/// Covered: bool (True/False), integers, floats (repr: shortest round-trip,
/// "1.0", "1e+16"), strings, None (nullptr / std::nullopt), std::optional,
/// std::vector (a list) and std::pair / std::tuple (a tuple).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace aio::demos::py {

/// repr(float): the shortest decimal that reads back as the same double,
/// written the way CPython writes it ("0.1", "1.0", "1e-05", "inf").
std::string float_repr(double value);
/// repr(str): quoted with ' (or " when the text has ' and no "), with
/// backslash escapes for the quote, backslash and control characters.
std::string string_repr(std::string_view text);
/// f"{value:.{decimals}f}": fixed notation, the way Python's format rounds.
std::string fixed(double value, int decimals);

template <class T>
std::string str(const T& value);
template <class T>
std::string repr(const T& value);

namespace detail {
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
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class Tuple, std::size_t... I>
std::string tuple_repr(const Tuple& t, std::index_sequence<I...>) {
  std::string out = "(";
  ((out += (I == 0 ? "" : ", ") + repr(std::get<I>(t))), ...);
  if (sizeof...(I) == 1) out += ",";
  return out + ")";
}
}  // namespace detail

/// Python's str(value).
template <class T>
std::string str(const T& value) {
  using U = std::decay_t<T>;
  if constexpr (std::is_same_v<U, bool>) {
    return value ? "True" : "False";
  } else if constexpr (std::is_same_v<U, char>) {
    return std::string(1, value);
  } else if constexpr (std::is_integral_v<U>) {
    return std::to_string(value);
  } else if constexpr (std::is_floating_point_v<U>) {
    return float_repr(static_cast<double>(value));
  } else if constexpr (std::is_same_v<U, std::nullptr_t> || std::is_same_v<U, std::nullopt_t>) {
    return "None";
  } else if constexpr (std::is_convertible_v<const U&, std::string_view>) {
    return std::string(std::string_view(value));
  } else if constexpr (detail::is_optional<U>::value) {
    return value ? str(*value) : std::string("None");
  } else if constexpr (detail::is_vector<U>::value) {
    std::string out = "[";
    for (std::size_t i = 0; i < value.size(); ++i) out += (i ? ", " : "") + repr(value[i]);
    return out + "]";
  } else if constexpr (detail::is_tuple<U>::value) {
    return detail::tuple_repr(value, std::make_index_sequence<std::tuple_size_v<U>>{});
  } else {
    static_assert(sizeof(U) == 0, "py::str: no Python spelling for this type");
  }
}

/// Python's repr(value): quoted strings, otherwise str().
template <class T>
std::string repr(const T& value) {
  using U = std::decay_t<T>;
  if constexpr (std::is_same_v<U, char>) {
    return string_repr(std::string_view(&value, 1));
  } else if constexpr (std::is_convertible_v<const U&, std::string_view>) {
    return string_repr(std::string_view(value));
  } else if constexpr (detail::is_optional<U>::value) {
    return value ? repr(*value) : std::string("None");
  } else {
    return str(value);
  }
}

}  // namespace aio::demos::py
