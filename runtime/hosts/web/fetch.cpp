#include "aio/web/fetch.hpp"

#include <emscripten.h>

#include "aio/event_loop.hpp"
#include "js_bridge.hpp"

// JS glue. A fetch is one record in the bridge's table: its AbortController,
// then its Response and stream reader. Aborting the controller cancels the
// request before the response and the body stream after it, which is what
// both abandoning an op (cancellation) and releasing the record do.

EM_JS(int, aio_web_fetch_start,
      (int op, const char* url, const char* method, const char* headers, int headers_len, const char* body,
       int body_len, int body_kind),
      {
        var W = Module.__aioWeb;
        try {
          var ctrl = new AbortController();
          var fields = W.list(headers, headers_len);
          var pairs = [];
          for (var i = 0; i + 1 < fields.length; i += 2) pairs.push([ fields[i], fields[i + 1] ]);
          var init = {method : UTF8ToString(method), headers : pairs, signal : ctrl.signal};
          if (body_kind === 1) init.body = W.text(body, body_len);
          else if (body_kind === 2) init.body = W.bytes(body, body_len);
          var promise = fetch(UTF8ToString(url), init);
          var rec = {
            ctrl : ctrl,
            response : null,
            reader : null,
            abort : function() { ctrl.abort(); },
            release : function() { ctrl.abort(); },
          };
          var h = W.put(rec);
          W.await(op, promise, function(r) {
            rec.response = r;
            var meta = [ r.status, r.statusText, r.url, r.redirected ? 1 : 0 ];
            r.headers.forEach(function(value, name) { meta.push(name, value); });
            return [ 0, meta.join(W.NUL) ];
          });
          return h;
        } catch (e) {
          return W.fail(e);
        }
      });

EM_JS(void, aio_web_fetch_read_all, (int op, int handle, int as_text), {
  var W = Module.__aioWeb;
  var r = W.get(handle).response;
  var promise;
  try {
    promise = as_text ? r.text() : r.arrayBuffer();
  } catch (e) {
    promise = Promise.reject(e);
  }
  W.await(op, promise, function(v) { return [ 0, v ]; });
});

// Exactly one reader.read() per call: the stream's pull-based flow control
// is the backpressure (the fetch implementation stops reading the socket
// while the stream's queue is full).
EM_JS(void, aio_web_fetch_read_chunk, (int op, int handle), {
  var W = Module.__aioWeb;
  var rec = W.get(handle);
  var promise;
  try {
    if (!rec.reader && rec.response.body) rec.reader = rec.response.body.getReader();
    promise = rec.reader ? rec.reader.read() : Promise.resolve({done : true});
  } catch (e) {
    promise = Promise.reject(e);
  }
  W.await(op, promise, function(res) { return res.done ? [-1] : [ res.value.length, res.value ]; });
});

namespace aio::web {

struct BodyReader::State {
  detail::JsRecord record;
  bool taken = false;     // bytes(), text() or body() was called
  bool reading = false;   // a read is in flight
  bool finished = false;  // the reader reached the end
};

namespace {

std::exception_ptr make_fetch_error(const std::string& name, const std::string& message) {
  return std::make_exception_ptr(FetchError(name, message));
}

Bytes bytes_of(int, int staged) { return detail::unstage_bytes(staged); }
std::string text_of(int, int staged) { return detail::unstage(staged); }
std::optional<Bytes> chunk_of(int value, int staged) {
  if (value < 0) return std::nullopt;
  return detail::unstage_bytes(staged);
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

void take_body(BodyReader::State* state) {
  if (!state) throw RuntimeError("this Response is empty: it did not come from aio::web::fetch()");
  auto& s = *state;
  if (s.taken)
    throw RuntimeError("the body of this response was already taken: read it once, with bytes(), text() or body()");
  s.taken = true;
}

}  // namespace

std::optional<std::string> Headers::get(std::string_view name) const {
  for (const auto& [n, v] : fields_)
    if (iequal(n, name)) return v;
  return std::nullopt;
}

void Headers::set(std::string name, std::string value) {
  std::erase_if(fields_, [&](const auto& f) { return iequal(f.first, name); });
  fields_.emplace_back(std::move(name), std::move(value));
}

// The response's metadata, staged by aio_web_fetch_start as
// "status\0statusText\0url\0redirected\0name\0value\0...".
Response Response::parse(int, int staged) {
  std::string meta = detail::unstage(staged);
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    auto nul = meta.find('\0', start);
    parts.push_back(meta.substr(start, nul - start));
    if (nul == std::string::npos) break;
    start = nul + 1;
  }
  Response r;
  r.status_ = parts.size() > 0 ? std::atoi(parts[0].c_str()) : 0;
  if (parts.size() > 1) r.status_text_ = parts[1];
  if (parts.size() > 2) r.url_ = parts[2];
  r.redirected_ = parts.size() > 3 && parts[3] == "1";
  for (std::size_t i = 4; i + 1 < parts.size(); i += 2) r.headers_.append(parts[i], parts[i + 1]);
  return r;
}

Task<Response> fetch(std::string url, FetchOptions options) {
  EventLoop& loop = get_running_loop();
  detail::check_driven(loop, "aio::web::fetch()");
  detail::bridge_init();
  auto state = std::make_shared<BodyReader::State>();

  std::string headers;
  for (const auto& [name, value] : options.headers.items()) {
    if (!headers.empty()) headers += '\0';
    headers += name;
    headers += '\0';
    headers += value;
  }
  const char* body = nullptr;
  std::size_t body_len = 0;
  int body_kind = 0;
  if (auto* text = std::get_if<std::string>(&options.body)) {
    body = text->data();
    body_len = text->size();
    body_kind = 1;
  } else if (auto* bytes = std::get_if<Bytes>(&options.body)) {
    body = reinterpret_cast<const char*>(bytes->data());
    body_len = bytes->size();
    body_kind = 2;
  }

  // Declared after `state`, so destroyed first: abandoning the op (on
  // cancellation) aborts the request before the record is released.
  detail::JsOp<Response> op(loop, 0, &Response::parse, &make_fetch_error);
  int handle = aio_web_fetch_start(op.id(), url.c_str(), options.method.c_str(), headers.data(),
                                   static_cast<int>(headers.size()), body, static_cast<int>(body_len), body_kind);
  if (handle < 0) {
    auto [name, message] = detail::split_error(detail::take_error());
    throw FetchError(name, message);
  }
  state->record = detail::JsRecord(handle);
  op.set_record(handle);

  co_await op.future();
  Response response = op.take();
  response.s_ = std::move(state);
  co_return response;
}

Task<Bytes> Response::bytes() {
  auto s = s_;
  take_body(s.get());
  EventLoop& loop = detail::driven_loop();
  detail::JsOp<Bytes> op(loop, s->record.get(), &bytes_of, &make_fetch_error);
  aio_web_fetch_read_all(op.id(), s->record.get(), 0);
  co_await op.future();
  co_return op.take();
}

Task<std::string> Response::text() {
  auto s = s_;
  take_body(s.get());
  EventLoop& loop = detail::driven_loop();
  detail::JsOp<std::string> op(loop, s->record.get(), &text_of, &make_fetch_error);
  aio_web_fetch_read_all(op.id(), s->record.get(), 1);
  co_await op.future();
  co_return op.take();
}

BodyReader Response::body() {
  take_body(s_.get());
  return BodyReader(s_);
}

Task<std::optional<Bytes>> BodyReader::read() {
  auto s = s_;
  if (s->reading) throw RuntimeError("read() called while another task is already reading this response body");
  if (s->finished) co_return std::nullopt;
  EventLoop& loop = detail::driven_loop();
  s->reading = true;
  struct Reading {
    State& s;
    ~Reading() { s.reading = false; }
  } reading{*s};
  for (;;) {
    detail::JsOp<std::optional<Bytes>> op(loop, s->record.get(), &chunk_of, &make_fetch_error);
    aio_web_fetch_read_chunk(op.id(), s->record.get());
    co_await op.future();
    auto chunk = op.take();
    if (!chunk) s->finished = true;
    // A stream may deliver an empty chunk; an empty result would look like
    // the end to a `while (auto c = ...)` loop, so read on.
    if (!chunk || !chunk->empty()) co_return chunk;
  }
}

// A static coroutine taking the reader by value: a member coroutine would
// keep `this`, which may be a temporary (`r.body().chunks()`).
AsyncGenerator<Bytes> BodyReader::chunks() { return iterate(*this); }

AsyncGenerator<Bytes> BodyReader::iterate(BodyReader reader) {
  while (auto chunk = co_await reader.read()) co_yield std::move(*chunk);
}

}  // namespace aio::web
