#pragma once
/// The exceptions of asyncio, with asyncio's names.
///
/// As in Python 3.8+, `CancelledError` is deliberately *not* a
/// `std::exception`: a `catch (const std::exception&)` meant for ordinary
/// failures must not swallow a cancellation request by accident. Catch it by
/// name (or with `catch (...)` and rethrow) when cleanup is needed.
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace aio {

/// Raised inside a task at its current await point when the task is cancelled,
/// and by `result()` of a cancelled future.
class CancelledError {
 public:
  CancelledError() = default;
  explicit CancelledError(std::string message) : message_(std::move(message)) {}
  /// The message given to `cancel(msg)`, or empty.
  const std::string& message() const noexcept { return message_; }
  const char* what() const noexcept { return message_.c_str(); }

 private:
  std::string message_;
};

namespace detail {
// The guidance aio adds to an error whose what() must stay asyncio's exact text.
class ErrorHint {
 public:
  /// What to do instead, or "" (kept out of what() to keep asyncio's text).
  const std::string& hint() const noexcept {
    static const std::string none;
    return hint_ ? *hint_ : none;
  }

 protected:
  ErrorHint() = default;
  explicit ErrorHint(const std::string& hint) : hint_(std::make_shared<const std::string>(hint)) {}

 private:
  std::shared_ptr<const std::string> hint_;  // shared: copying an exception must not throw
};
}  // namespace detail

/// A Future or Task was used in a state that does not allow the operation
/// (result of a pending future, set_result twice, ...).
///
/// what() is asyncio's exact text ("Result is not set.", "invalid state"), so
/// that messages match CPython's; hint() says how to avoid the error.
class InvalidStateError : public std::logic_error, public detail::ErrorHint {
 public:
  using std::logic_error::logic_error;
  InvalidStateError(const std::string& message, const std::string& hint)
      : std::logic_error(message), detail::ErrorHint(hint) {}
};

/// Python's built-in RuntimeError, used where asyncio raises it (loop already
/// running, loop closed, no running loop, ...).
///
/// Where asyncio has a message for the error, what() is that exact text
/// ("Event loop is closed"), as for InvalidStateError; hint() says what to do.
class RuntimeError : public std::runtime_error, public detail::ErrorHint {
 public:
  using std::runtime_error::runtime_error;
  RuntimeError(const std::string& message, const std::string& hint)
      : std::runtime_error(message), detail::ErrorHint(hint) {}
};

/// Python's built-in TypeError: an argument of the wrong kind (an unstarted
/// coroutine where asyncio wants a task, ...).
class TypeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Python's built-in ValueError, used where asyncio raises it (a Semaphore
/// with a negative value, a BoundedSemaphore released too often, task_done()
/// called too many times, ...). what() and hint() as for RuntimeError.
class ValueError : public std::invalid_argument, public detail::ErrorHint {
 public:
  using std::invalid_argument::invalid_argument;
  ValueError(const std::string& message, const std::string& hint)
      : std::invalid_argument(message), detail::ErrorHint(hint) {}
};

/// Python's built-in LookupError: ContextVar::get() of a variable that has no
/// value in the current context and no default.
class LookupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Python's OSError: a system call failed. The network layer raises its
/// subclasses (aio/net/errors.hpp); it lives here because TimeoutError is one.
class OSError : public std::runtime_error {
 public:
  OSError(int err, const std::string& message);
  /// The errno value (0 when there is none, e.g. "Multiple exceptions").
  int errno_value() const noexcept { return errno_; }

 private:
  int errno_;
};

/// A deadline passed (`wait_for`, `timeout`, `as_completed`), or a system
/// call failed with ETIMEDOUT. As in Python 3.11, where asyncio.TimeoutError
/// is the built-in TimeoutError, it is an OSError: a `catch (const
/// aio::OSError&)` around network code also sees timeouts.
class TimeoutError : public OSError {
 public:
  TimeoutError() : OSError(0, "") {}
  explicit TimeoutError(const std::string& message) : OSError(0, message) {}
  using OSError::OSError;
};

/// Raised by `Queue::put_nowait` on a full queue.
class QueueFull : public std::runtime_error {
 public:
  QueueFull() : std::runtime_error("") {}
  using std::runtime_error::runtime_error;
};

/// Raised by `Queue::get_nowait` on an empty queue.
class QueueEmpty : public std::runtime_error {
 public:
  QueueEmpty() : std::runtime_error("") {}
  using std::runtime_error::runtime_error;
};

/// Raised by put/get on a queue that was shut down (Python 3.13).
class QueueShutDown : public std::runtime_error {
 public:
  QueueShutDown() : std::runtime_error("") {}
  using std::runtime_error::runtime_error;
};

/// A Barrier was aborted or reset while a task waited on it. A RuntimeError,
/// as in Python.
class BrokenBarrierError : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};

/// The user interrupted the program (Ctrl-C): raised by `aio::run` and
/// `Runner::run` after SIGINT cancelled the main task and the task finished
/// (asyncio.Runner's KeyboardInterrupt). Like CancelledError, and like
/// Python's, it is not a `std::exception`: a handler for ordinary failures
/// must not swallow it. Left uncaught, it ends the program the way Ctrl-C
/// would have (see Runner).
class KeyboardInterrupt {
 public:
  const char* what() const noexcept { return ""; }
};

/// Several exceptions raised together (Python 3.11's BaseExceptionGroup),
/// e.g. by the children of a TaskGroup. Holds them in the order they occurred.
class BaseExceptionGroup : public std::exception {
 public:
  BaseExceptionGroup(std::string message, std::vector<std::exception_ptr> exceptions);
  const char* what() const noexcept override { return what_.c_str(); }
  /// The message without the "(N sub-exceptions)" suffix.
  const std::string& message() const noexcept { return message_; }
  const std::vector<std::exception_ptr>& exceptions() const noexcept { return exceptions_; }

 private:
  std::string message_;
  std::string what_;
  std::vector<std::exception_ptr> exceptions_;
};

/// A group holding only ordinary exceptions (no CancelledError), like Python's
/// ExceptionGroup.
class ExceptionGroup : public BaseExceptionGroup {
 public:
  using BaseExceptionGroup::BaseExceptionGroup;
};

/// An error from another language carried through C++ futures (the npm
/// package's JS errors). It names its own class, so reprs, tracebacks and
/// the loop's reports show `TypeError('bad value')` as that language would,
/// not the name of the C++ class that carries it. what() is its message.
class ForeignError : public std::exception {
 public:
  /// The error's class name in its own language ("TypeError").
  virtual const char* type_name() const noexcept = 0;
};

/// Python's `type(e).__name__` for an exception: "CancelledError",
/// "TimeoutError", a ForeignError's type_name(), or the unqualified C++ class
/// name of anything else.
std::string exception_type_name(const std::exception_ptr& e);

/// Python's `str(e)`: the message of an exception ("" when there is none).
std::string exception_message(const std::exception_ptr& e);

/// The hint() of an error that carries one (InvalidStateError, RuntimeError,
/// ValueError made with a hint): what to do instead; "" for any other.
std::string exception_hint(const std::exception_ptr& e);

/// "TypeName: message" (or just "TypeName" when the message is empty), the
/// way a traceback's last line reads.
std::string describe_exception(const std::exception_ptr& e);

/// Python's `repr(e)` for an exception with one message argument:
/// "TypeName('message')" ("TypeName()" when the message is empty), the
/// message quoted as Python quotes a str. What a future's or task's repr
/// shows after "exception=".
std::string exception_repr(const std::exception_ptr& e);

/// True when `e` holds a CancelledError.
bool is_cancelled_error(const std::exception_ptr& e) noexcept;

}  // namespace aio
