#include "aio/web/websocket.hpp"

#include <emscripten.h>

#include <deque>

#include "aio/event_loop.hpp"
#include "id_registry.hpp"
#include "js_bridge.hpp"

// JS glue. A connection is one record in the bridge's table holding the JS
// WebSocket; its events call aio_web_ws_event(id, type, code, staged), with
// `id` the connection's number in states() below and the payload staged. Types: 1 open (staged: protocol), 2 text message,
// 3 binary message, 4 error (staged: message, often empty), 5 clean close,
// 6 unclean close (code: close code, staged: reason).
EM_JS(int, aio_web_ws_open, (int id, const char* url, const char* protocols, int protocols_len), {
  var W = Module.__aioWeb;
  var WS = globalThis.WebSocket || Module.WebSocket;
  if (!WS)
    return W.fail("Error\nthis JS environment has no WebSocket (Node 20 has none): " +
                  "set Module.WebSocket to a WebSocket class, e.g. require('ws')");
  var ws;
  try {
    ws = new WS(UTF8ToString(url), W.list(protocols, protocols_len));
  } catch (e) {
    return W.fail(e);
  }
  ws.binaryType = 'arraybuffer';
  var h = W.put({
    ws : ws,
    release : function() {
      // Node's `ws` re-throws an 'error' event nobody listens to (closing a
      // connecting socket emits one): keep a listener that ignores it.
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.onerror = function() {};
      if (ws.readyState < 2) ws.close(1000);
    },
  });
  function deliver(type, code, v) {
    if (!W.table.has(h)) return;
    _aio_web_ws_event(id, type, code, W.stage(v));
    W.staged = null;
  }
  ws.onopen = function() { deliver(1, 0, ws.protocol || ""); };
  ws.onmessage = function(e) {
    if (typeof e.data === 'string') deliver(2, 0, e.data);
    else deliver(3, 0, e.data);
  };
  ws.onerror = function(e) { deliver(4, 0, (e && e.message) || ""); };
  ws.onclose = function(e) { deliver(e.wasClean ? 5 : 6, e.code, e.reason || ""); };
  return h;
});

// 1: sent; 0, 2, 3: not open (the readyState); -1: JS threw (W.lastError).
EM_JS(int, aio_web_ws_send, (int handle, const char* data, int len, int binary), {
  var W = Module.__aioWeb;
  var ws = W.get(handle).ws;
  if (ws.readyState !== 1) return ws.readyState;
  try {
    ws.send(binary ? W.bytes(data, len) : W.text(data, len));
  } catch (e) {
    return W.fail(e);
  }
  return 1;
});

EM_JS(int, aio_web_ws_close, (int handle, int code, const char* reason, int len), {
  var W = Module.__aioWeb;
  try {
    W.get(handle).ws.close(code, W.text(reason, len));
  } catch (e) {
    return W.fail(e);
  }
  return 0;
});

EM_JS(double, aio_web_ws_buffered, (int handle), { return Module.__aioWeb.get(handle).ws.bufferedAmount || 0; });

namespace aio::web {

struct WebSocket::State {
  enum class Phase { connecting, open, closing, closed };

  State(EventLoop& l, std::string u);
  ~State();
  void on_event(int type, int code, int staged);
  // Completes `fut` (if still pending) from a JS event: the waiting task is
  // scheduled, and the host must run a slice for it.
  static void complete(Future<void>& fut, std::exception_ptr error = nullptr);
  bool closed_ok() const noexcept {
    return close_code == 1000 || close_code == 1001 || (close_code == 1005 && was_clean);
  }
  std::exception_ptr closed_error() const;

  // No loop of its own: each wait below is a future of the awaiting task's
  // loop (see detail::driven_loop), and completing one wakes that loop.
  int id;  // in states(): how JS events find this connection
  detail::JsRecord record;
  std::string url;
  std::string protocol;
  Phase phase = Phase::connecting;
  std::deque<Message> queue;  // received, not yet taken: unbounded (see the header)
  Future<void> opened;        // connect() waits on it
  Future<void> arrived;       // receive() waits on it; empty when nobody waits
  std::vector<Future<void>> close_waiters;
  int close_code = 0;
  std::string close_reason;
  bool was_clean = false;
  std::string error;  // the last error event's message
};

namespace {

// JS events find their connection by id; one destroyed meanwhile is gone
// from here, and its events are dropped.
detail::IdRegistry<WebSocket::State>& states() {
  static detail::IdRegistry<WebSocket::State> registry;
  return registry;
}

std::string close_message(int code, const std::string& reason) {
  std::string m = "WebSocket closed with code " + std::to_string(code);
  if (!reason.empty()) m += " (reason: " + reason + ")";
  return m;
}

Task<std::optional<Message>> next_message(std::shared_ptr<WebSocket::State> s) {
  using Phase = WebSocket::State::Phase;
  for (;;) {
    // Taking the message happens in the step that returns it, so a cancelled
    // receive() never loses one.
    if (!s->queue.empty()) {
      Message m = std::move(s->queue.front());
      s->queue.pop_front();
      co_return m;
    }
    if (s->phase == Phase::closed) {
      if (s->closed_ok()) co_return std::nullopt;
      std::rethrow_exception(s->closed_error());
    }
    if (s->arrived)
      throw RuntimeError("receive() called while another task is already waiting for the next message on this WebSocket");
    EventLoop& loop = detail::driven_loop();
    s->arrived = loop.create_future<void>();
    struct Waiting {
      WebSocket::State& s;
      ~Waiting() { s.arrived = Future<void>(); }
    } waiting{*s};
    detail::ExternalWork work(loop);
    co_await aio::detail::await_as(s->arrived, "websocket");
  }
}

Task<void> wait_until_closed(std::shared_ptr<WebSocket::State> s) {
  if (s->phase == WebSocket::State::Phase::closed) co_return;
  // One future per waiter: a cancelled waiter cancels only its own.
  EventLoop& loop = detail::driven_loop();
  Future<void> fut = loop.create_future<void>();
  s->close_waiters.push_back(fut);
  struct Forget {
    WebSocket::State& s;
    Future<void>& fut;
    ~Forget() { std::erase(s.close_waiters, fut); }
  } forget{*s, fut};
  detail::ExternalWork work(loop);
  co_await aio::detail::await_as(fut, "websocket");
}

}  // namespace

ConnectionClosed::ConnectionClosed(int code, std::string reason, bool was_clean)
    : WebSocketError(close_message(code, reason)), code_(code), reason_(std::move(reason)), was_clean_(was_clean) {}

WebSocket::State::State(EventLoop& l, std::string u)
    : id(states().add(this)), url(std::move(u)), opened(l.create_future<void>()) {}

WebSocket::State::~State() { states().remove(id); }

std::exception_ptr WebSocket::State::closed_error() const {
  if (closed_ok()) return std::make_exception_ptr(ConnectionClosedOK(close_code, close_reason, was_clean));
  return std::make_exception_ptr(ConnectionClosedError(close_code, close_reason, was_clean));
}

void WebSocket::State::complete(Future<void>& fut, std::exception_ptr e) {
  if (!fut || fut.done()) return;
  EventLoop* loop = fut.core().loop();
  if (!loop || loop->is_closed()) return;
  if (e) fut.set_exception(e);
  else fut.set_result();
  detail::wake(*loop);
}

void WebSocket::State::on_event(int type, int code, int staged) {
  std::string payload = detail::unstage(staged);
  auto connect_failed = [&] {
    std::string m = "WebSocket connection to '" + url + "' failed";
    if (!error.empty()) m += ": " + error;
    else if (phase == Phase::closed) m += " (close code " + std::to_string(close_code) + ")";
    return std::make_exception_ptr(WebSocketError(m));
  };
  switch (type) {
    case 1:
      protocol = std::move(payload);
      phase = Phase::open;
      complete(opened);
      break;
    case 2:
    case 3: {
      Message m;
      if (type == 2) {
        m.text = std::move(payload);
      } else {
        m.type = Message::Type::binary;
        m.data.assign(payload.begin(), payload.end());
      }
      queue.push_back(std::move(m));
      complete(arrived);
      break;
    }
    case 4:
      error = std::move(payload);
      if (phase == Phase::connecting) complete(opened, connect_failed());
      break;
    default:  // 5, 6: closed
      phase = Phase::closed;
      close_code = code;
      close_reason = std::move(payload);
      was_clean = type == 5;
      complete(opened, connect_failed());
      complete(arrived);
      for (auto& w : close_waiters) complete(w);
      break;
  }
}

Task<WebSocket> WebSocket::connect(std::string url, std::vector<std::string> protocols) {
  EventLoop& loop = get_running_loop();
  detail::check_driven(loop, "aio::web::WebSocket::connect()");
  detail::bridge_init();
  std::string list;
  for (const auto& p : protocols) {
    if (!list.empty()) list += '\0';
    list += p;
  }
  auto s = std::make_shared<State>(loop, std::move(url));
  int handle = aio_web_ws_open(s->id, s->url.c_str(), list.data(), static_cast<int>(list.size()));
  if (handle < 0) throw WebSocketError(detail::split_error(detail::take_error()).second);
  // If the task is cancelled while connecting, destroying `s` releases the
  // record, which closes the socket.
  s->record = detail::JsRecord(handle);
  detail::ExternalWork work(loop);
  co_await aio::detail::await_as(s->opened, "websocket");
  co_return WebSocket(std::move(s));
}

namespace {
void send_raw(WebSocket::State& s, const char* data, std::size_t len, bool binary) {
  if (s.phase == WebSocket::State::Phase::closed) std::rethrow_exception(s.closed_error());
  int r = aio_web_ws_send(s.record.get(), data, static_cast<int>(len), binary ? 1 : 0);
  if (r == 1) return;
  if (r < 0) throw WebSocketError(detail::split_error(detail::take_error()).second);
  throw WebSocketError("cannot send: the WebSocket is closing");
}
}  // namespace

void WebSocket::send(std::string_view text) { send_raw(*s_, text.data(), text.size(), false); }

void WebSocket::send(const Bytes& data) {
  send_raw(*s_, reinterpret_cast<const char*>(data.data()), data.size(), true);
}

Task<Message> WebSocket::receive() {
  auto s = s_;
  auto m = co_await next_message(s);
  if (!m) std::rethrow_exception(s->closed_error());
  co_return std::move(*m);
}

AsyncGenerator<Message> WebSocket::messages() { return iterate(*this); }

AsyncGenerator<Message> WebSocket::iterate(WebSocket ws) {
  while (auto m = co_await next_message(ws.s_)) co_yield std::move(*m);
}

Task<void> WebSocket::close(int code, std::string reason) {
  auto s = s_;
  if (s->phase == State::Phase::closed) co_return;
  // Checked here rather than left to JS: browsers and Node's `ws` accept
  // different sets of codes.
  if (code != 1000 && (code < 3000 || code > 4999))
    throw ValueError("WebSocket close code must be 1000 or in 3000-4999, not " + std::to_string(code));
  if (reason.size() > 123) throw ValueError("WebSocket close reason must be at most 123 bytes of UTF-8");
  if (s->phase != State::Phase::closing) {
    if (aio_web_ws_close(s->record.get(), code, reason.data(), static_cast<int>(reason.size())) < 0)
      throw WebSocketError(detail::split_error(detail::take_error()).second);
    s->phase = State::Phase::closing;
  }
  co_await wait_until_closed(s);
}

Task<void> WebSocket::wait_closed() { return wait_until_closed(s_); }

std::size_t WebSocket::queued() const noexcept { return s_->queue.size(); }
std::size_t WebSocket::buffered_amount() const {
  return static_cast<std::size_t>(aio_web_ws_buffered(s_->record.get()));
}
const std::string& WebSocket::protocol() const noexcept { return s_->protocol; }
const std::string& WebSocket::url() const noexcept { return s_->url; }
bool WebSocket::closed() const noexcept { return s_->phase == State::Phase::closed; }
std::optional<int> WebSocket::close_code() const noexcept {
  if (s_->phase != State::Phase::closed) return std::nullopt;
  return s_->close_code;
}
const std::string& WebSocket::close_reason() const noexcept { return s_->close_reason; }

}  // namespace aio::web

extern "C" {
EMSCRIPTEN_KEEPALIVE void aio_web_ws_event(int id, int type, int code, int staged) {
  auto* state = aio::web::states().find(id);
  if (!state) return;
  try {
    state->on_event(type, code, staged);
  } catch (...) {
    // Nothing may unwind into JS (it would surface as an opaque
    // WebAssembly.Exception in the JS event handler); an event that cannot
    // be stored (out of memory) is dropped.
  }
}
}
