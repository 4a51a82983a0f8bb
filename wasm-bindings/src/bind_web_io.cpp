// fetch and WebSocket for JS tasks: the browser host's I/O sources
// (runtime/hosts/web: aio::web::fetch, aio::web::WebSocket) exposed so that
// cancelling the JS task aborts the request on the wire. Their suspending
// calls are operations awaited by run_op() (js_coroutine.cpp) through
// await_web_op() below; what is here never suspends.
#include <emscripten/bind.h>

#include <memory>
#include <string>

#include "aio/web/fetch.hpp"
#include "aio/web/websocket.hpp"
#include "js_interop.hpp"
#include "js_objects.hpp"

namespace aio::wasm {
namespace {

using Ptr = std::uintptr_t;

val bytes_to_js(const web::Bytes& b) {
  // A copy: the view into wasm memory dies with `b`.
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(b.size(), b.data()));
}

// A Uint8Array or ArrayBuffer (index.js's payload() made any other view one).
web::Bytes bytes_from_js(const val& v) {
  val u8 = val::global("Uint8Array").new_(v);
  web::Bytes out(u8["length"].as<std::size_t>());
  val view = val(emscripten::typed_memory_view(out.size(), out.data()));
  view.call<void>("set", u8);
  return out;
}

val headers_to_js(const web::Headers& h) {
  val out = val::array();
  for (const auto& [name, value] : h.items()) {
    val pair = val::array();
    pair.call<void>("push", name);
    pair.call<void>("push", value);
    out.call<void>("push", pair);
  }
  return out;
}

// A Response as JS sees it at once: {box, status, statusText, url,
// redirected, type, headers: [[name, value], ...], signal}; index.js wraps it.
val response_to_js(web::Response r, const val& signal) {
  val o = val::object();
  o.set("signal", signal);
  o.set("status", r.status());
  o.set("statusText", r.status_text());
  o.set("url", r.url());
  o.set("redirected", r.redirected());
  o.set("type", r.type());
  o.set("headers", headers_to_js(r.headers()));
  o.set("box", box_new(std::make_shared<web::Response>(std::move(r))));
  return o;
}

val message_to_js(const web::Message& m) {
  if (m.is_text()) return val(m.text);
  return bytes_to_js(m.data);
}

}  // namespace

// Operation codes 30-39 (see OP_FETCH ... in index.js).
Task<val> await_web_op(int code, std::uintptr_t target, double num, val value, val extra) {
  // The fetch's AbortSignal, or undefined: in the options (extra) of a
  // fetch, extra itself for a body read (the Response's signal).
  val signal = code == 30 ? extra["signal"] : extra;
  try {
    switch (code) {
      case 30: {  // fetch(url = value, options = extra: {method, headers: [[k, v]], body, ...RequestInit})
        web::FetchOptions options;
        if (extra["method"].isString()) options.method = extra["method"].as<std::string>();
        val headers = extra["headers"];
        if (!headers.isUndefined()) {
          int n = headers["length"].as<int>();
          for (int i = 0; i < n; ++i)
            options.headers.append(headers[i][0].as<std::string>(), headers[i][1].as<std::string>());
        }
        val body = extra["body"];
        if (body.isString())
          options.body = body.as<std::string>();
        else if (!body.isUndefined())
          options.body = bytes_from_js(body);
        // The other members (redirect, credentials, signal, ...) go to JS
        // fetch() as index.js checked them.
        options.js_init = extra.as_handle();
        web::Response r = co_await web::fetch(value.as<std::string>(), std::move(options));
        co_return val::module_property("__aio").call<val>("wrapResponse", response_to_js(std::move(r), signal));
      }
      case 31: {  // response.text()
        auto r = box_get<web::Response>(target);
        co_return val(co_await r->text());
      }
      case 32: {  // response.bytes()
        auto r = box_get<web::Response>(target);
        web::Bytes b = co_await r->bytes();
        co_return bytes_to_js(b);
      }
      case 33: {  // reader.read(): a Uint8Array, or null at the end
        auto reader = box_get<web::BodyReader>(target);
        std::optional<web::Bytes> chunk = co_await reader->read();
        co_return chunk ? bytes_to_js(*chunk) : val::null();
      }
      case 34: {  // WebSocket.connect(url = value, protocols = extra)
        std::vector<std::string> protocols;
        if (!extra.isUndefined() && !extra.isNull()) {
          int n = extra["length"].as<int>();
          for (int i = 0; i < n; ++i) protocols.push_back(extra[i].as<std::string>());
        }
        web::WebSocket ws = co_await web::WebSocket::connect(value.as<std::string>(), std::move(protocols));
        co_return val::module_property("__aio").call<val>("wrapWebSocket",
                                                          box_new(std::make_shared<web::WebSocket>(std::move(ws))));
      }
      case 35: {  // ws.receive()
        auto ws = box_get<web::WebSocket>(target);
        web::Message m = co_await ws->receive();
        co_return message_to_js(m);
      }
      case 36: {  // ws.close(code = num, reason = value)
        auto ws = box_get<web::WebSocket>(target);
        co_await ws->close(static_cast<int>(num), value.isString() ? value.as<std::string>() : std::string());
        co_return val::undefined();
      }
      case 37: {  // ws.waitClosed()
        auto ws = box_get<web::WebSocket>(target);
        co_await ws->wait_closed();
        co_return val::undefined();
      }
      default:
        throw TypeError("unknown web operation yielded");
    }
  } catch (const web::FetchError&) {
    // What the signal interrupted fails with signal.reason itself (a
    // DOMException AbortError unless abort() was given one), as in JS
    // fetch(), rather than a FetchError carrying its name and message.
    if (!signal.isUndefined() && signal["aborted"].isTrue()) throw JsError(signal["reason"]);
    throw;
  }
}

namespace {

void response_delete(Ptr p) { box_delete<web::Response>(p); }
Ptr response_body(Ptr p) {
  return guarded([&] { return box_new(std::make_shared<web::BodyReader>(box_get<web::Response>(p)->body())); });
}
void reader_delete(Ptr p) { box_delete<web::BodyReader>(p); }

void websocket_delete(Ptr p) { box_delete<web::WebSocket>(p); }
void websocket_send(Ptr p, val data) {
  guarded([&] {
    auto ws = box_get<web::WebSocket>(p);
    if (data.isString())
      ws->send(data.as<std::string>());
    else
      ws->send(bytes_from_js(data));
  });
}
double websocket_queued(Ptr p) { return static_cast<double>(box_get<web::WebSocket>(p)->queued()); }
double websocket_buffered_amount(Ptr p) { return static_cast<double>(box_get<web::WebSocket>(p)->buffered_amount()); }

}  // namespace
}  // namespace aio::wasm

EMSCRIPTEN_BINDINGS(aio_web_io) {
  using namespace emscripten;
  using namespace aio::wasm;
  function("response_delete", &response_delete);
  function("response_body", &response_body);
  function("reader_delete", &reader_delete);
  function("websocket_delete", &websocket_delete);
  function("websocket_send", &websocket_send);
  function("websocket_queued", &websocket_queued);
  function("websocket_buffered_amount", &websocket_buffered_amount);
}
