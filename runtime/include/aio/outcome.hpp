#pragma once
/// aio::Outcome<T>: a value or the exception that took its place.
///
/// What `gather(aio::return_exceptions, ...)` gives for each child, where
/// asyncio puts either the result or the exception object in its list. A
/// cancelled child gives an Outcome holding a CancelledError.
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "aio/errors.hpp"

namespace aio {

/// Either a value of type T or an exception (never both, never neither).
template <class T>
class Outcome {
 public:
  using value_type = T;

  /// An outcome holding `value`.
  explicit Outcome(T value) : value_(std::move(value)) {}
  /// An outcome holding the exception `error` (must not be null).
  explicit Outcome(std::exception_ptr error) : error_(std::move(error)) {}

  bool has_value() const noexcept { return !error_; }
  bool has_exception() const noexcept { return static_cast<bool>(error_); }
  explicit operator bool() const noexcept { return has_value(); }
  /// True when the exception is a CancelledError (a cancelled child).
  bool cancelled() const noexcept { return is_cancelled_error(error_); }

  /// The value; rethrows the exception if there is one.
  T& value() & {
    if (error_) std::rethrow_exception(error_);
    return *value_;
  }
  const T& value() const& {
    if (error_) std::rethrow_exception(error_);
    return *value_;
  }
  T&& value() && {
    if (error_) std::rethrow_exception(error_);
    return std::move(*value_);
  }
  /// The exception, or null when there is a value.
  const std::exception_ptr& exception() const noexcept { return error_; }

 private:
  std::optional<T> value_;
  std::exception_ptr error_;
};

/// The outcome of something that returns nothing: success, or an exception.
template <>
class Outcome<void> {
 public:
  using value_type = void;

  Outcome() noexcept = default;
  explicit Outcome(std::exception_ptr error) : error_(std::move(error)) {}

  bool has_value() const noexcept { return !error_; }
  bool has_exception() const noexcept { return static_cast<bool>(error_); }
  explicit operator bool() const noexcept { return has_value(); }
  bool cancelled() const noexcept { return is_cancelled_error(error_); }
  /// Rethrows the exception if there is one.
  void value() const {
    if (error_) std::rethrow_exception(error_);
  }
  const std::exception_ptr& exception() const noexcept { return error_; }

 private:
  std::exception_ptr error_;
};

}  // namespace aio
