#pragma once
/// asyncio's streams: StreamReader / StreamWriter over a transport, and
/// open_connection / start_server (plus the unix-socket variants).
///
///     auto [reader, writer] = co_await aio::open_connection("127.0.0.1", 8888);
///     writer->write("hello\n");
///     co_await writer->drain();
///     std::string line = co_await reader->readline();
///     writer->close();
///     co_await writer->wait_closed();
///
/// Readers and writers are shared_ptrs: keep them while you use them (a
/// coroutine reading from a reader holds a pointer to it).
#include <cstddef>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "aio/async_generator.hpp"
#include "aio/net/errors.hpp"
#include "aio/net/io_wait.hpp"
#include "aio/net/protocols.hpp"
#include "aio/net/server.hpp"
#include "aio/sync/event.hpp"
#include "aio/task.hpp"

namespace aio {

/// asyncio's default stream limit: 64 KiB.
inline constexpr std::size_t kDefaultStreamLimit = 64 * 1024;

/// asyncio.StreamReader: bytes from a transport, read as lines, exact counts,
/// up to a separator, or until EOF. One coroutine at a time may wait on a
/// reader (RuntimeError otherwise, as asyncio: read from one task at a time).
/// Error messages are asyncio's text.
///
/// Backpressure: when more than 2 * limit bytes are buffered the transport
/// stops reading, and resumes when the buffer is back under `limit`.
class StreamReader {
 public:
  /// ValueError for a limit of 0 (asyncio's "Limit cannot be <= 0"): read()
  /// would return "" at once, and every line would overrun it. The limit is
  /// in bytes.
  explicit StreamReader(std::size_t limit = kDefaultStreamLimit) : limit_(limit) {
    if (limit == 0) throw ValueError("Limit cannot be <= 0", "pass the buffer limit in bytes, at least 1");
  }
  StreamReader(const StreamReader&) = delete;
  StreamReader& operator=(const StreamReader&) = delete;

  /// Up to `n` bytes (at least one unless at EOF: then ""); with n < 0, every
  /// byte until EOF.
  Task<std::string> read(long n = -1);
  /// One line, "\n" included; at EOF what is left ("" if nothing). A line
  /// over the limit raises ValueError with readuntil's LimitOverrunError
  /// message, as asyncio (construct the reader with a larger limit to accept
  /// longer lines); the buffer drops the line up to its newline, or
  /// everything when the newline has not arrived yet.
  Task<std::string> readline();
  /// Everything up to and including `separator`. IncompleteReadError at EOF,
  /// LimitOverrunError when no separator turns up within `limit` bytes.
  Task<std::string> readuntil(std::string separator);
  /// Everything up to and including the first of several separators to end
  /// in the stream (Python 3.13's `readuntil((b"\r\n", b"\n"))`): the shortest
  /// chunk that ends with any of them. Where two end at the same byte, the
  /// shorter separator is the one that matched (it decides the
  /// LimitOverrunError: the chunk before the separator must fit `limit`).
  /// ValueError for no separators or an empty one; IncompleteReadError and
  /// LimitOverrunError as above.
  ///     auto reading = reader->readuntil({"\r\n", "\n"});
  ///     std::string line = co_await reading;
  Task<std::string> readuntil(std::vector<std::string> separators);
  /// For a braced list: `readuntil({"\r\n", "\n"})`. (A braced list of two
  /// strings would otherwise be ambiguous with std::string's iterator-pair
  /// constructor.)
  Task<std::string> readuntil(std::initializer_list<std::string> separators) {
    return readuntil(std::vector<std::string>(separators));
  }
  /// readuntil("\n"). (An overload, not a default argument: see subprocess.hpp.)
  Task<std::string> readuntil() { return readuntil(std::string("\n")); }
  /// Exactly `n` bytes, or IncompleteReadError at EOF. ValueError if n < 0
  /// (signed, as asyncio's: a negative count must not wrap to "wait forever").
  Task<std::string> readexactly(long n);
  /// True once EOF was fed and the buffer is empty.
  bool at_eof() const noexcept { return eof_ && size() == 0; }
  /// `async for line in reader`: while (auto line = co_await lines.next()).
  AsyncGenerator<std::string> lines();

  // ---- fed by the protocol ----
  /// AssertionError after feed_eof() (asyncio's assert), even for "".
  void feed_data(std::string_view data);
  void feed_eof();
  /// Every read from now on raises `exc`. A read waiting for data now is
  /// woken with it; one already woken by data or EOF still returns those.
  void set_exception(std::exception_ptr exc);
  std::exception_ptr exception() const noexcept { return exc_; }
  void set_transport(Transport* transport) noexcept { transport_ = transport; }
  std::size_t limit() const noexcept { return limit_; }
  /// Bytes buffered and not read yet.
  std::size_t size() const noexcept { return buffer_.size() - start_; }
  /// A read is parked waiting for data.
  bool has_waiter() const noexcept { return waiter_.waiting(); }

 private:
  net::detail::IoWait wait_for_data(const char* func_name);
  // Both readuntil overloads: `several` when given as a list (`listed`),
  // else `one`. One string is not put in a vector: readline is this.
  Task<std::string> readuntil_any(std::string one, std::vector<std::string> several, bool listed);
  void wakeup_waiter() noexcept;
  void rethrow_wake_error();
  void maybe_resume_transport();
  std::string take(std::size_t n);
  std::string_view view() const noexcept { return std::string_view(buffer_).substr(start_); }
  void consume(std::size_t n) noexcept;

  std::string buffer_;
  std::size_t start_ = 0;  // bytes at the front already read
  std::size_t limit_;
  std::exception_ptr exc_;
  // What the pending read was woken with (asyncio's waiter future failing).
  std::exception_ptr wake_exc_;
  Transport* transport_ = nullptr;
  bool eof_ = false;
  bool paused_ = false;
  const char* waiting_ = nullptr;  // the method waiting for data, if any
  net::detail::WaitLot waiter_;
};

class StreamWriter;

namespace net::detail {
// Whether ClientConnectedCallback takes an F: callable with the reader and
// the writer, returning Task<void> (a coroutine function) or void.
template <class F>
constexpr bool client_connected_cb_like() {
  using Reader = std::shared_ptr<StreamReader>;
  using Writer = std::shared_ptr<StreamWriter>;
  if constexpr (std::is_invocable_v<std::decay_t<F>&, Reader, Writer>) {
    using Result = std::invoke_result_t<std::decay_t<F>&, Reader, Writer>;
    return std::is_void_v<Result> || std::is_convertible_v<Result, Task<void>>;
  } else {
    return false;
  }
}
template <class F>
concept ClientConnectedCbLike = client_connected_cb_like<F>();
template <class T>
struct is_std_function : std::false_type {};
template <class Sig>
struct is_std_function<std::function<Sig>> : std::true_type {};
}  // namespace net::detail

/// start_server's `client_connected_cb(reader, writer)`: as in asyncio,
/// either a coroutine function (a callable returning Task<void>), whose
/// coroutine runs as a task per connection, or a plain function (returning
/// void), called inside the protocol's connection_made. Anything callable
/// with the reader and the writer that returns one of those converts to it:
///     aio::start_server(handle_client, "127.0.0.1", 8888);                 // Task<void> handle_client(r, w)
///     aio::start_server([](auto r, auto w) { w->write("hi\n"); }, "127.0.0.1", 8888);
/// Empty (no callback) when default-made or made from an empty std::function
/// or a null function pointer.
class ClientConnectedCallback {
 public:
  using Reader = std::shared_ptr<StreamReader>;
  using Writer = std::shared_ptr<StreamWriter>;
  using Coroutine = std::function<Task<void>(Reader, Writer)>;
  using Plain = std::function<void(Reader, Writer)>;

  ClientConnectedCallback() = default;
  ClientConnectedCallback(std::nullptr_t) noexcept {}
  /// (Only from callables returning Task<void> or void, so that overload
  /// sets and traits see no conversion from anything else.)
  template <class F>
    requires net::detail::ClientConnectedCbLike<F>
  ClientConnectedCallback(F&& f) {
    using Result = std::invoke_result_t<std::decay_t<F>&, Reader, Writer>;
    if constexpr (std::is_pointer_v<std::remove_cvref_t<F>> ||
                  net::detail::is_std_function<std::remove_cvref_t<F>>::value)
      if (!f) return;  // a null pointer, an empty std::function: no callback
    if constexpr (std::is_void_v<Result>)
      fn_.template emplace<Plain>(std::forward<F>(f));
    else
      fn_.template emplace<Coroutine>(std::forward<F>(f));
  }

  explicit operator bool() const noexcept { return fn_.index() != 0; }
  /// A coroutine function (else a plain one, or none).
  bool is_coroutine() const noexcept { return fn_.index() == 1; }
  /// The coroutine of a coroutine function (precondition: is_coroutine()).
  Task<void> call_coroutine(Reader reader, Writer writer) const {
    return std::get<Coroutine>(fn_)(std::move(reader), std::move(writer));
  }
  /// Call a plain function (precondition: a plain one); what it throws
  /// propagates.
  void call_plain(Reader reader, Writer writer) const { std::get<Plain>(fn_)(std::move(reader), std::move(writer)); }

 private:
  std::variant<std::monostate, Coroutine, Plain> fn_;
};

/// asyncio.StreamReaderProtocol: feeds a StreamReader, and gives StreamWriter
/// its flow control (drain) and close waiter. For a server, calls
/// `client_connected_cb(reader, writer)` on each connection (a coroutine
/// function's coroutine runs as a task).
class StreamReaderProtocol : public Protocol, public std::enable_shared_from_this<StreamReaderProtocol> {
 public:
  using ClientConnected = ClientConnectedCallback;
  explicit StreamReaderProtocol(std::shared_ptr<StreamReader> reader, ClientConnected client_connected_cb = {});

  void connection_made(Transport& transport) override;
  void connection_lost(std::exception_ptr exc) override;
  void data_received(std::string_view data) override;
  bool eof_received() override;
  void pause_writing() override;
  void resume_writing() override;

  // For StreamWriter.
  Task<void> drain_helper();
  Task<void> wait_closed();
  bool connection_is_lost() const noexcept { return connection_lost_; }
  const std::shared_ptr<StreamReader>& reader() const noexcept { return reader_; }
  /// A server's protocol (it has a client_connected_cb).
  bool server_side() const noexcept { return static_cast<bool>(client_connected_cb_); }
  /// StreamWriter::start_tls: from now on the connection is `transport`.
  void replace_transport(std::shared_ptr<Transport> transport);

 private:
  std::shared_ptr<StreamReader> reader_;
  ClientConnected client_connected_cb_;
  std::shared_ptr<Transport> transport_;  // set in connection_made, dropped in connection_lost
  bool paused_ = false;
  bool connection_lost_ = false;
  bool over_ssl_ = false;
  std::exception_ptr lost_exc_;
  net::detail::WaitLot drain_waiters_;
  Event closed_;
};

/// asyncio.StreamWriter.
class StreamWriter {
 public:
  StreamWriter(std::shared_ptr<Transport> transport, std::shared_ptr<StreamReaderProtocol> protocol,
               std::shared_ptr<StreamReader> reader);
  /// asyncio's StreamWriter.__del__: the last reference going away closes
  /// the transport if nobody did.
  ~StreamWriter();
  StreamWriter(const StreamWriter&) = delete;
  StreamWriter& operator=(const StreamWriter&) = delete;

  Transport& transport() const noexcept { return *transport_; }
  void write(std::string_view data) { transport_->write(data); }
  void writelines(const std::vector<std::string>& lines) { transport_->writelines(lines); }
  bool can_write_eof() const noexcept { return transport_->can_write_eof(); }
  void write_eof() { transport_->write_eof(); }
  void close() { transport_->close(); }
  bool is_closing() const noexcept { return transport_->is_closing(); }
  /// Wait until the connection is closed (raises what it was lost to).
  Task<void> wait_closed();
  /// Wait until the write buffer is back under its low-water mark; raises
  /// ConnectionResetError("Connection lost") once the connection is gone.
  /// A drain already waiting when the connection is lost raises what it was
  /// lost to, and returns if it closed cleanly (close() or abort()), as asyncio.
  Task<void> drain();
  std::any get_extra_info(std::string_view name) const { return transport_->get_extra_info(name); }
  /// asyncio's get_extra_info(name, default): `default_value` when the
  /// transport has no `name`.
  std::any get_extra_info(std::string_view name, std::any default_value) const {
    return transport_->get_extra_info(name, std::move(default_value));
  }
  SocketAddress get_address_info(std::string_view name) const { return transport_->get_address_info(name); }
  /// asyncio's StreamWriter.start_tls (3.11): drain, then upgrade the
  /// connection to TLS (STARTTLS); the reader and this writer then read and
  /// write plaintext over it. A client needs `options.server_hostname` when
  /// the context checks host names; server_side comes from the protocol (a
  /// start_server connection is the server). Raises what the handshake
  /// failed with (the connection is closed then).
  Task<void> start_tls(SSLContext sslcontext, TLSOptions options);
  Task<void> start_tls(SSLContext sslcontext) { return start_tls(std::move(sslcontext), TLSOptions()); }

 private:
  std::shared_ptr<Transport> transport_;
  std::shared_ptr<StreamReaderProtocol> protocol_;
  std::shared_ptr<StreamReader> reader_;
};

using Streams = std::pair<std::shared_ptr<StreamReader>, std::shared_ptr<StreamWriter>>;

/// Connect and wrap the connection in a reader and a writer.
Task<Streams> open_connection(std::string host, int port, std::size_t limit = kDefaultStreamLimit);
Task<Streams> open_unix_connection(std::string path, std::size_t limit = kDefaultStreamLimit);
/// The same with create_connection's options, TLS among them:
///     aio::ConnectionOptions options;
///     options.ssl = aio::SSLContext::create_default_context();
///     auto [reader, writer] = co_await aio::open_connection("example.org", 443, options);
/// (start_server and start_unix_server take TLS in their ServerOptions.)
Task<Streams> open_connection(std::string host, int port, ConnectionOptions options,
                              std::size_t limit = kDefaultStreamLimit);
Task<Streams> open_unix_connection(std::string path, ConnectionOptions options,
                                   std::size_t limit = kDefaultStreamLimit);
/// Over `options.sock`, a connected stream socket made elsewhere (asyncio's
/// `open_connection(sock=sock)`); ValueError without one.
Task<Streams> open_connection(ConnectionOptions options, std::size_t limit = kDefaultStreamLimit);
/// Over `options.sock`, a connected AF_UNIX stream socket (asyncio's
/// `open_unix_connection(sock=sock)`).
Task<Streams> open_unix_connection(ConnectionOptions options, std::size_t limit = kDefaultStreamLimit);
/// A server calling `client_connected_cb(reader, writer)` (as a new task)
/// for every connection. If the task raises, the connection is closed and
/// the error reported to the loop's exception handler.
Task<std::shared_ptr<Server>> start_server(ClientConnectedCallback client_connected_cb, std::string host, int port,
                                           std::size_t limit, ServerOptions options);
Task<std::shared_ptr<Server>> start_unix_server(ClientConnectedCallback client_connected_cb, std::string path,
                                                std::size_t limit, ServerOptions options);
/// On every address of every host in `hosts` (asyncio's start_server with a
/// sequence of hosts; see create_server).
Task<std::shared_ptr<Server>> start_server(ClientConnectedCallback client_connected_cb, std::vector<std::string> hosts,
                                           int port, std::size_t limit, ServerOptions options);
/// Serving on `options.sock`, a bound stream socket made elsewhere (asyncio's
/// `start_server(cb, sock=sock)`); ValueError without one.
Task<std::shared_ptr<Server>> start_server(ClientConnectedCallback client_connected_cb, ServerOptions options,
                                           std::size_t limit = kDefaultStreamLimit);
/// Serving on `options.sock`, a bound AF_UNIX stream socket (asyncio's
/// `start_unix_server(cb, sock=sock)`).
Task<std::shared_ptr<Server>> start_unix_server(ClientConnectedCallback client_connected_cb, ServerOptions options,
                                                std::size_t limit = kDefaultStreamLimit);
// Overloads rather than default arguments of class type: see subprocess.hpp.
inline Task<std::shared_ptr<Server>> start_server(ClientConnectedCallback cb, std::string host, int port,
                                                  std::size_t limit = kDefaultStreamLimit) {
  return start_server(std::move(cb), std::move(host), port, limit, ServerOptions{});
}
inline Task<std::shared_ptr<Server>> start_server(ClientConnectedCallback cb, std::vector<std::string> hosts, int port,
                                                  std::size_t limit = kDefaultStreamLimit) {
  return start_server(std::move(cb), std::move(hosts), port, limit, ServerOptions{});
}
inline Task<std::shared_ptr<Server>> start_unix_server(ClientConnectedCallback cb, std::string path,
                                                       std::size_t limit = kDefaultStreamLimit) {
  return start_unix_server(std::move(cb), std::move(path), limit, ServerOptions{});
}

}  // namespace aio
