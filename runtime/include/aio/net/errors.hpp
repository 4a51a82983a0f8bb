#pragma once
/// The exceptions of asyncio's network layer, with Python's names: OSError
/// and its subclasses (ConnectionResetError, BrokenPipeError, ...), and the
/// stream errors IncompleteReadError and LimitOverrunError, and the ssl
/// module's SSLError family (TLS, native builds).
///
/// An OSError keeps the errno (`errno_value()`, Python's `e.errno`); what()
/// reads like Python's "[Errno 111] Connect call failed ('127.0.0.1', 1):
/// Connection refused", followed, where there is one, by what to do.
#include <cstddef>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "aio/errors.hpp"

namespace aio {

// OSError itself, and TimeoutError, are in aio/errors.hpp.

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

/// Python's AssertionError: asyncio's `assert` on a programming error, e.g.
/// StreamReader::feed_data() after feed_eof(). A logic_error: the caller's
/// bug, not something that went wrong at run time.
class AssertionError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
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

/// Python's NotImplementedError, e.g. write_eof() on a TLS transport
/// ("SSL doesn't support half-closes").
class NotImplementedError : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};

/// ssl.SSLError: TLS failed (a handshake, a bad record, a bad certificate or
/// key file). errno_value() is OpenSSL's SSL_get_error() code, as Python's
/// e.errno; library() and reason() are Python's e.library and e.reason
/// ("SSL", "WRONG_VERSION_NUMBER"); what() reads like Python's
/// "[SSL: WRONG_VERSION_NUMBER] wrong version number".
class SSLError : public OSError {
 public:
  SSLError(int err, const std::string& message, std::string library = {}, std::string reason = {})
      : OSError(err, message), library_(std::move(library)), reason_(std::move(reason)) {}
  const std::string& library() const noexcept { return library_; }
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string library_, reason_;
};
/// ssl.SSLCertVerificationError: the peer's certificate was refused.
/// verify_code() is OpenSSL's X509_V_ERR_* value and verify_message() its
/// text ("self-signed certificate", "Hostname mismatch, certificate is not
/// valid for 'example.org'.").
class SSLCertVerificationError : public SSLError {
 public:
  SSLCertVerificationError(int err, const std::string& message, long verify_code, std::string verify_message)
      : SSLError(err, message, "SSL", "CERTIFICATE_VERIFY_FAILED"),
        verify_code_(verify_code),
        verify_message_(std::move(verify_message)) {}
  long verify_code() const noexcept { return verify_code_; }
  const std::string& verify_message() const noexcept { return verify_message_; }

 private:
  long verify_code_;
  std::string verify_message_;
};
/// ssl.SSLZeroReturnError: the peer closed the TLS session (close_notify).
class SSLZeroReturnError : public SSLError {
 public:
  using SSLError::SSLError;
};
/// ssl.SSLWantReadError / SSLWantWriteError: OpenSSL needs more I/O first.
class SSLWantReadError : public SSLError {
 public:
  using SSLError::SSLError;
};
class SSLWantWriteError : public SSLError {
 public:
  using SSLError::SSLError;
};
/// ssl.SSLSyscallError.
class SSLSyscallError : public SSLError {
 public:
  using SSLError::SSLError;
};
/// ssl.SSLEOFError: the connection ended in the middle of a TLS record or
/// handshake ("EOF occurred in violation of protocol").
class SSLEOFError : public SSLError {
 public:
  using SSLError::SSLError;
};

namespace net::detail {
/// The OSError subclass Python raises for `err`, with "[Errno N] what: strerror".
std::exception_ptr make_os_error(int err, const std::string& what, const std::string& hint = {});
[[noreturn]] void throw_os_error(int err, const std::string& what, const std::string& hint = {});
}  // namespace net::detail

}  // namespace aio
