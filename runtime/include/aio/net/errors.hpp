#pragma once
/// The exceptions of asyncio's network layer, with Python's names: OSError
/// and its subclasses (ConnectionResetError, BrokenPipeError, ...), and the
/// stream errors IncompleteReadError and LimitOverrunError.
///
/// An OSError keeps the errno (`errno_value()`, Python's `e.errno`); what()
/// reads like Python's "[Errno 111] Connect call failed ('127.0.0.1', 1):
/// Connection refused", followed, where there is one, by what to do.
#include <cstddef>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

#include "aio/errors.hpp"

namespace aio {

/// Python's OSError: a system call failed.
class OSError : public std::runtime_error {
 public:
  OSError(int err, const std::string& message);
  /// The errno value (0 when there is none, e.g. "Multiple exceptions").
  int errno_value() const noexcept { return errno_; }

 private:
  int errno_;
};

class ConnectionError : public OSError {
 public:
  using OSError::OSError;
};
/// EPIPE, ESHUTDOWN: writing to a connection the peer has closed.
class BrokenPipeError : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};
class ConnectionAbortedError : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};
/// ECONNREFUSED: nothing listens at the address.
class ConnectionRefusedError : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};
/// ECONNRESET: the peer reset the connection (or, from drain(), "Connection lost").
class ConnectionResetError : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};
class FileNotFoundError : public OSError {
 public:
  using OSError::OSError;
};
class PermissionError : public OSError {
 public:
  using OSError::OSError;
};
/// ESRCH: no such process (signalling a process that is gone).
class ProcessLookupError : public OSError {
 public:
  using OSError::OSError;
};
/// socket.gaierror: name resolution failed (errno_value() is the EAI_* code).
class gaierror : public OSError {  // NOLINT(readability-identifier-naming): Python's name
 public:
  using OSError::OSError;
};

/// Python's OverflowError: a number out of range for the call, e.g. a port
/// outside 0-65535 ("bind(): port must be 0-65535."), which the C API
/// would silently truncate to 16 bits.
class OverflowError : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

/// Python's EOFError.
class EOFError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// asyncio.IncompleteReadError: the stream ended before `expected` bytes (or
/// a separator) arrived. `partial` holds what was read.
class IncompleteReadError : public EOFError {
 public:
  IncompleteReadError(std::string partial, std::optional<std::size_t> expected);
  std::string partial;
  /// None when reading up to a separator.
  std::optional<std::size_t> expected;
};

/// asyncio.LimitOverrunError: readuntil() looked at more than the stream's
/// `limit` bytes without finding the separator. `consumed` bytes are to be
/// consumed (they are still in the buffer).
class LimitOverrunError : public std::runtime_error {
 public:
  LimitOverrunError(const std::string& message, std::size_t consumed)
      : std::runtime_error(message), consumed(consumed) {}
  std::size_t consumed;
};

/// asyncio.SendfileNotAvailableError: the kernel's sendfile cannot be used
/// (and fallback=false was given).
class SendfileNotAvailableError : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};

namespace net::detail {
/// The OSError subclass Python raises for `err`, with "[Errno N] what: strerror".
std::exception_ptr make_os_error(int err, const std::string& what, const std::string& hint = {});
[[noreturn]] void throw_os_error(int err, const std::string& what, const std::string& hint = {});
}  // namespace net::detail

}  // namespace aio
