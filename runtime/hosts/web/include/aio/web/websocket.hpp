#pragma once
/// aio::web::WebSocket: a WebSocket client as an I/O source of the browser
/// host, over the JS WebSocket API.
///
///     auto ws = co_await aio::web::WebSocket::connect("wss://example.org/chat");
///     ws.send("hello");                                  // a text message
///     ws.send(aio::web::Bytes{1, 2, 3});                 // a binary message
///     aio::web::Message m = co_await ws.receive();
///     auto messages = ws.messages();                     // async for m in ws
///     while (auto m = co_await messages.next()) handle(*m);
///     co_await ws.close(1000, "bye");
///
/// Receiving: the JS API pushes every message as it arrives and has no way to
/// pause the sender (no receive backpressure), so, as asyncio's StreamReader
/// buffers unread data, messages that arrive while nobody awaits receive()
/// are queued, never dropped; queued() tells how many wait (watch it if a
/// peer can outpace you). Sending is as in JS: send() returns at once and
/// the browser buffers (buffered_amount()).
///
/// Closing: after a close, from either side, receive() returns the messages
/// still queued, then raises ConnectionClosedOK (close code 1000 or 1001, or
/// a clean close without a code) or ConnectionClosedError (anything else,
/// e.g. 1006 when the connection dropped). messages() ends at a clean close
/// and raises ConnectionClosedError otherwise (the `websockets` library's
/// rules).
///
/// Node 20 has no global WebSocket: the JS side uses globalThis.WebSocket if
/// there is one, else Module.WebSocket (set it to the npm `ws` package's
/// class), else connect() raises WebSocketError saying so.
///
/// Loop and host: use from tasks of a loop running on the browser host
/// (aio::web::run_until_complete / run_forever); an event wakes the loop of
/// the task that waits for it (connect(), receive(), close(), wait_closed()
/// each wait on the loop of their caller, so a WebSocket outlives the loop
/// it was opened on and works from the next one; messages arriving while no
/// loop waits are queued). While one of them waits, a virtual-clock loop
/// does not jump ahead. On a loop run by a blocking call (aio::run), they
/// raise RuntimeError instead of hanging.
/// See runtime/hosts/web/examples/websocket.cpp.
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "aio/async_generator.hpp"
#include "aio/task.hpp"
#include "aio/web/bytes.hpp"

namespace aio::web {

/// The connection could not be opened (refused, bad URL, failed handshake),
/// or the WebSocket was misused. what() includes the JS error's message when
/// JS gives one (browsers do not; Node's `ws` does).
class WebSocketError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The connection is closed: raised by receive() once the queue is drained,
/// and by send() after the close.
class ConnectionClosed : public WebSocketError {
 public:
  ConnectionClosed(int code, std::string reason, bool was_clean);
  /// The close code (1000 normal, 1001 going away, 1005 none given, 1006
  /// closed abnormally, 3000-4999 application codes).
  int code() const noexcept { return code_; }
  const std::string& reason() const noexcept { return reason_; }
  /// Whether the closing handshake completed.
  bool was_clean() const noexcept { return was_clean_; }

 private:
  int code_;
  std::string reason_;
  bool was_clean_;
};

/// Closed normally: code 1000 or 1001, or a clean close without a code.
class ConnectionClosedOK : public ConnectionClosed {
 public:
  using ConnectionClosed::ConnectionClosed;
};

/// Closed with an error code, or the connection dropped (1006).
class ConnectionClosedError : public ConnectionClosed {
 public:
  using ConnectionClosed::ConnectionClosed;
};

/// One message: text (UTF-8) or binary.
struct Message {
  enum class Type { text, binary };
  Type type = Type::text;
  std::string text;  // the text of a text message
  Bytes data;        // the payload of a binary message

  bool is_text() const noexcept { return type == Type::text; }
  bool is_binary() const noexcept { return type == Type::binary; }
};

/// A WebSocket client connection. A cheap handle: copies share the
/// connection. The connection is closed (code 1000) and its JS object
/// released when the last copy is destroyed.
class WebSocket {
 public:
  /// Open a connection to `url` ("ws://" or "wss://"), offering the
  /// subprotocols `protocols`.
  ///
  /// Suspends until the connection is open. Raises WebSocketError when it
  /// cannot be opened. Cancellation: the connection attempt is abandoned
  /// (the socket closed) and CancelledError raised.
  static Task<WebSocket> connect(std::string url, std::vector<std::string> protocols = {});

  /// Send a text message. Does not suspend (the browser buffers it). Raises
  /// ConnectionClosed once the connection is closed, WebSocketError while it
  /// is closing.
  void send(std::string_view text);
  /// Send a binary message. Same rules as send(text).
  void send(const Bytes& data);

  /// The next message, in order of arrival.
  ///
  /// Returns at once when one is queued, else suspends until one arrives.
  /// Raises ConnectionClosedOK / ConnectionClosedError when the connection
  /// is closed and the queue is empty, RuntimeError if another task is
  /// already waiting in receive(). Cancellation: raises CancelledError and
  /// loses nothing (a message arriving later stays queued).
  Task<Message> receive();

  /// `async for message in ws`: receive() until a clean close (then the
  /// iteration ends); an abnormal close raises ConnectionClosedError.
  AsyncGenerator<Message> messages();

  /// Start the closing handshake with `code` (1000, or 3000-4999) and
  /// `reason` (at most 123 bytes of UTF-8), then wait until the connection
  /// is closed. Returns at once if it already is. Raises ValueError for an
  /// invalid code or reason. Cancellation: stops waiting; the handshake goes
  /// on.
  Task<void> close(int code = 1000, std::string reason = {});

  /// Wait until the connection is closed (by either side). Cancellation:
  /// stops waiting.
  Task<void> wait_closed();

  /// Messages received and not yet taken by receive().
  std::size_t queued() const noexcept;
  /// Bytes given to send() that the browser has not yet sent.
  std::size_t buffered_amount() const;
  /// The subprotocol the server chose ("" if none).
  const std::string& protocol() const noexcept;
  const std::string& url() const noexcept;
  /// True once the connection is closed (the close event arrived).
  bool closed() const noexcept;
  /// The close code and reason, once closed().
  std::optional<int> close_code() const noexcept;
  const std::string& close_reason() const noexcept;

  /// The connection's state (defined in websocket.cpp).
  struct State;

 private:
  explicit WebSocket(std::shared_ptr<State> s) : s_(std::move(s)) {}
  static AsyncGenerator<Message> iterate(WebSocket ws);
  std::shared_ptr<State> s_;
};

}  // namespace aio::web
