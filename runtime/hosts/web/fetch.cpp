#include "aio/web/fetch.hpp"

#include <emscripten.h>

#include "aio/event_loop.hpp"
#include "js_bridge.hpp"

// JS glue. A fetch is one record in the bridge's table: its AbortController,
// then its Response and stream reader. Aborting the controller cancels the
// request before the response and the body stream after it, which is what
// both abandoning an op (cancellation) and releasing the record do.
//
// A caller's AbortSignal (FetchOptions::js_init's `signal`) is not given to
// JS fetch(): a listener on it aborts our controller, with its reason, from
// the start of the fetch until the body is finished (read to the end, or
// failed: nothing left to abort) or the record is released, as JS fetch()
// follows its signal until the body is consumed. So an abort while the body
// sits unread closes the connection at once, and the next read fails with
// the reason. Removing the listener then keeps a long-lived signal shared by
// many fetches from collecting one per Response that is done. It is removed
// in a handler registered before W.await's, so before C++ hears the outcome.
//
// Returns the record's handle, or (the error staged by W.fail) -1 if the
// options were refused: they are checked by a Request built from them first
// (its URL a placeholder: a bad URL stays a FetchError of the fetch), with an
// empty body standing for ours (a body with GET is refused) and no signal (a
// Request follows its signal: a listener on it until the Request is
// collected).
EM_JS(int, aio_web_fetch_start,
      (int op, const char* url, const char* method, const char* headers, int headers_len, const char* body,
       int body_len, int body_kind, const char* opts, int opts_len, int keepalive, emscripten::EM_VAL js_init),
      {
        var W = Module.__aioWeb;
        var ctrl = new AbortController();
        var init = {method : UTF8ToString(method), headers : W.pairs(headers, headers_len), signal : ctrl.signal};
        if (body_kind === 1) init.body = W.text(body, body_len);
        else if (body_kind === 2) init.body = W.bytes(body, body_len);
        W.pairs(opts, opts_len).forEach(function(p) { init[p[0]] = p[1]; });
        if (keepalive) init.keepalive = true;
        var extra = js_init ? Emval.toValue(js_init) : {};
        for (var k in extra)
          if (!(k in init)) init[k] = extra[k];
        try {
          new Request('http://localhost/', Object.assign({}, init, {signal : null, body : body_kind ? "" : null}));
        } catch (e) {
          return W.fail(e);
        }
        var user = extra.signal;
        var done = function() {
          if (user) user.removeEventListener('abort', onAbort);
        };
        var onAbort = function() {
          done();
          ctrl.abort(user.reason);
        };
        // Aborted already: JS fetch() then rejects at once, sending nothing.
        if (user) user.aborted ? onAbort() : user.addEventListener('abort', onAbort);
        var rec = {
          ctrl : ctrl,
          response : null,
          reader : null,
          done : done,
          abort : function() { ctrl.abort(); },
          release : function() {
            done();
            ctrl.abort();
          },
        };
        var h = W.put(rec);
        var p;
        // A fetch() that throws (a replaced one; the standard's rejects)
        // must not throw into C++.
        try {
          p = fetch(UTF8ToString(url), init);
        } catch (e) {
          p = Promise.reject(e);
        }
        p.then(function(r) {
          if (!r.body) done();
        }, done);
        W.await(op, p, function(r) {
          rec.response = r;
          var meta = [ r.status, r.statusText, r.url, r.redirected ? 1 : 0, r.type ];
          r.headers.forEach(function(value, name) { meta.push(name, value); });
          return [ 0, meta.join(W.NUL) ];
        });
        return h;
      });

EM_JS(void, aio_web_fetch_read_all, (int op, int handle, int as_text), {
  var rec = Module.__aioWeb.get(handle);
  var r = rec.response;
  var p = as_text ? r.text() : r.arrayBuffer();
  p.then(rec.done, rec.done);
  Module.__aioWeb.await(op, p, function(v) { return [ 0, v ]; });
});

// Exactly one reader.read() per call: the stream's pull-based flow control
// is the backpressure (the fetch implementation stops reading the socket
// while the stream's queue is full).
EM_JS(void, aio_web_fetch_read_chunk, (int op, int handle), {
  var rec = Module.__aioWeb.get(handle);
  var p;
  try {
    if (!rec.reader && rec.response.body) rec.reader = rec.response.body.getReader();
    p = rec.reader ? rec.reader.read() : Promise.resolve({done : true});
  } catch (e) {
    p = Promise.reject(e);
  }
  p.then(function(res) {
    if (res.done) rec.done();
  }, rec.done);
  Module.__aioWeb.await(op, p, function(res) { return res.done ? [-1] : [ res.value.length, res.value ]; });
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

// Appends "name\0value" to a NUL-separated list (W.pairs in JS reads it).
void pack(std::string& list, const char* name, const std::string& value) {
  if (!list.empty()) list += '\0';
  list += name;
  list += '\0';
  list += value;
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
// "status\0statusText\0url\0redirected\0type\0name\0value\0...".
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
  if (parts.size() > 4) r.type_ = parts[4];
  for (std::size_t i = 5; i + 1 < parts.size(); i += 2) r.headers_.append(parts[i], parts[i + 1]);
  return r;
}

namespace {

// Issues the request for op `op` (the synchronous part of fetch(), kept out
// of the coroutine so that its buffers are not in the coroutine's frame).
// Returns the record's handle; raises ValueError.
int start_fetch(int op, const std::string& url, const FetchOptions& options) {
  std::string headers;
  for (const auto& [name, value] : options.headers.items()) pack(headers, name.c_str(), value);
  // The RequestInit members that were given, by their JS names.
  static constexpr std::pair<const char*, std::string FetchOptions::*> members[] = {
      {"redirect", &FetchOptions::redirect},   {"credentials", &FetchOptions::credentials},
      {"mode", &FetchOptions::mode},           {"cache", &FetchOptions::cache},
      {"referrer", &FetchOptions::referrer},   {"referrerPolicy", &FetchOptions::referrer_policy},
      {"integrity", &FetchOptions::integrity}, {"priority", &FetchOptions::priority}};
  std::string opts;
  for (auto [name, member] : members)
    if (!(options.*member).empty()) pack(opts, name, options.*member);
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
  int handle = aio_web_fetch_start(op, url.c_str(), options.method.c_str(), headers.data(),
                                   static_cast<int>(headers.size()), body, static_cast<int>(body_len), body_kind,
                                   opts.data(), static_cast<int>(opts.size()), options.keepalive, options.js_init);
  // JS refused the options (a failure of JS fetch() itself comes later, as
  // the promise's rejection: FetchError).
  if (handle < 0)
    throw ValueError("aio::web::fetch(): JS refused the request (see aio::web::FetchOptions): " +
                     detail::split_error(detail::take_error()).second);
  return handle;
}

}  // namespace

Task<Response> fetch(std::string url, FetchOptions options) {
  EventLoop& loop = get_running_loop();
  detail::check_driven(loop, "aio::web::fetch()");
  detail::bridge_init();
  auto state = std::make_shared<BodyReader::State>();
  // Declared after `state`, so destroyed first: abandoning the op (on
  // cancellation) aborts the request before the record is released.
  detail::JsOp<Response> op(loop, 0, &Response::parse, &make_fetch_error);
  int handle = start_fetch(op.id(), url, options);
  state->record = detail::JsRecord(handle);
  op.set_record(handle);

  co_await aio::detail::await_as(op.future(), "fetch");
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
  co_await aio::detail::await_as(op.future(), "fetch");
  co_return op.take();
}

Task<std::string> Response::text() {
  auto s = s_;
  take_body(s.get());
  EventLoop& loop = detail::driven_loop();
  detail::JsOp<std::string> op(loop, s->record.get(), &text_of, &make_fetch_error);
  aio_web_fetch_read_all(op.id(), s->record.get(), 1);
  co_await aio::detail::await_as(op.future(), "fetch");
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
    co_await aio::detail::await_as(op.future(), "fetch");
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
