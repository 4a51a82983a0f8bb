#pragma once
/// aio::web::fetch: HTTP requests as an I/O source of the browser host, over
/// the JS fetch() of the browser or Node (18+).
///
///     aio::web::Response r = co_await aio::web::fetch("https://example.org/data.json");
///     if (!r.ok()) ...;                                  // 404 is a response, not an error
///     std::string body = co_await r.text();
///
///     auto post = co_await aio::web::fetch(url, {.method = "POST",
///                                                .headers = {{"Content-Type", "application/json"}},
///                                                .body = std::string(R"({"x": 1})")});
///
///     auto reader = r.body();                            // streaming, with backpressure
///     while (auto chunk = co_await reader.read()) consume(*chunk);
///
///     auto moved = co_await aio::web::fetch(url, {.redirect = "manual"});  // RequestInit's options
///
/// Time limits are not an option: wrap the await in aio::wait_for() or
/// aio::timeout(), whose cancellation aborts the request (below).
///
/// Errors: an HTTP error status (404, 500) is a Response with ok() false. A
/// request that gets no response (connection refused, DNS failure, CORS,
/// bad URL, a redirect with redirect = "error", a body error mid-stream)
/// raises FetchError carrying the JS error's name and message ("TypeError",
/// "fetch failed (connect ECONNREFUSED 127.0.0.1:1)" in Node, "Failed to
/// fetch" in browsers). Options JS refuses (a bad header name, an unknown
/// redirect mode) raise ValueError as fetch() starts, before anything is
/// sent.
///
/// Cancellation, at every await: the request is aborted through its
/// AbortController, so the server sees the connection closed, and the
/// awaiting task gets CancelledError. Cancelled while awaiting fetch(), no
/// Response is returned; cancelled while awaiting bytes(), text() or a
/// read(), the rest of the body is lost and the Response is unusable (further
/// reads raise FetchError). A promise that settles after the cancellation is
/// ignored.
///
/// Loop and host: call from a task of a loop running on the browser host
/// (aio::web::run_until_complete / run_forever); the JS promise's outcome is
/// scheduled on that loop and wakes its host. While a request or a body read
/// is in flight a virtual-clock loop does not jump ahead. On a loop run by a
/// blocking call (aio::run, EventLoop::run_until_complete), which never
/// hands control back to JS, fetch() raises RuntimeError instead of hanging.
/// A Response is not tied to the loop of its fetch(): each body read waits
/// on the loop of the task that reads (a JS program's rt.run() frees its
/// loop when it returns, and may read the Response in the next run).
/// See runtime/hosts/web/examples/fetch.cpp.
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "aio/async_generator.hpp"
#include "aio/task.hpp"
#include "aio/web/bytes.hpp"

namespace emscripten {
struct _EM_VAL;
typedef struct _EM_VAL* EM_VAL;  // as <emscripten/val.h> declares it
}  // namespace emscripten

namespace aio::web {

/// A request that got no HTTP response, or whose body failed mid-stream
/// (Python's OSError in spirit). what() is the JS error's message.
class FetchError : public std::runtime_error {
 public:
  FetchError(std::string name, const std::string& message) : std::runtime_error(message), name_(std::move(name)) {}
  /// The JS error's class: "TypeError" for network failures, "AbortError", ...
  const std::string& name() const noexcept { return name_; }

 private:
  std::string name_;
};

/// An ordered list of HTTP header fields with case-insensitive lookup.
class Headers {
 public:
  Headers() = default;
  Headers(std::initializer_list<std::pair<std::string, std::string>> fields) : fields_(fields) {}

  /// The value of the first field named `name` (any case), or empty.
  /// Repeated fields of a response come combined by the JS side ("a, b"),
  /// except Set-Cookie (separate fields in Node; hidden by browsers).
  std::optional<std::string> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  /// Add a field (kept in order; duplicates allowed, as on the wire).
  void append(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
  /// Replace every field named `name` by one with `value`.
  void set(std::string name, std::string value);

  const std::vector<std::pair<std::string, std::string>>& items() const noexcept { return fields_; }
  std::size_t size() const noexcept { return fields_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

/// What fetch() sends besides the URL: JS RequestInit's members that make
/// sense from C++ (no AbortSignal: cancel the task instead; JS code passes
/// one through js_init). The string members
/// are forwarded to JS fetch() as they are, empty meaning JS's default, and
/// JS checks them: a value it refuses (redirect = "never", a method or
/// header name that is not a token, a body with GET) raises ValueError with
/// JS's message when fetch() starts, before anything is sent. Accepted
/// values: https://fetch.spec.whatwg.org/#requestinit (what a browser does
/// with them, e.g. credentials and CORS, is the browser's; Node ignores
/// some, such as cache).
///
///     auto r = co_await aio::web::fetch(url, {.redirect = "manual", .credentials = "include"});
///     if (r.status() / 100 == 3) std::puts(r.headers().get("location").value_or("").c_str());
struct FetchOptions {
  /// "GET", "POST", "PUT", ... (JS normalises the case of standard ones).
  std::string method = "GET";
  Headers headers;
  /// Text is sent as UTF-8 with a default Content-Type of
  /// "text/plain;charset=UTF-8"; Bytes as they are, with no default type.
  std::variant<std::monostate, std::string, Bytes> body;
  /// "follow" (JS's default), "error" (a redirect raises FetchError) or
  /// "manual": Node returns the 3xx response itself (status, Location); a
  /// browser hides it, returning a Response of type() "opaqueredirect" with
  /// status 0, no headers and an empty body.
  std::string redirect;
  /// "same-origin" (the default), "include" or "omit": cookies and HTTP
  /// authentication on the request.
  std::string credentials;
  /// "cors" (the default), "same-origin" or "no-cors".
  std::string mode;
  /// The HTTP cache: "default", "no-store", "reload", "no-cache",
  /// "force-cache" or "only-if-cached".
  std::string cache;
  /// A same-origin URL to send as the Referer (a browser sends the page's
  /// instead of another origin's), or "about:client" (the default). Empty is
  /// the default here, not JS's "" (none): for no Referer, set
  /// referrer_policy = "no-referrer".
  std::string referrer;
  /// "no-referrer", "origin", "strict-origin-when-cross-origin", ...
  std::string referrer_policy;
  /// Subresource Integrity metadata the body must match ("sha256-...").
  std::string integrity;
  /// "high", "low" or "auto" (browsers; Node ignores it).
  std::string priority;
  /// Let the request outlive the page (a browser's keepalive; the body is
  /// then limited to 64 KiB).
  bool keepalive = false;
  /// JS interop, for C++ that also uses Embind (wasm-bindings/ does): a JS
  /// object of more RequestInit members, as an Embind handle
  /// (emscripten::val::as_handle()), read when fetch()'s task starts (keep
  /// it valid until then). Its members add to the ones above (which win
  /// where both give one); its `signal`, an AbortSignal, aborts the request
  /// and its body as JS fetch()'s does: an abort before the body is
  /// finished aborts the request at once (the server sees the connection
  /// closed), even while the body waits unread, and the fetch or body read
  /// it interrupts, and every later read, raises FetchError named after the
  /// signal's reason ("AbortError" by default; Node's fetch says
  /// "AbortError" for any reason once the response has arrived). It is
  /// listened to from the start until the body is read to the end or fails,
  /// or the Response is destroyed, so a shared signal keeps no listener for
  /// responses that are done. Null: none.
  emscripten::EM_VAL js_init = nullptr;
};

class Response;

/// Reads a response body chunk by chunk, pulling from the JS ReadableStream
/// only when asked: one JS read() per read(), and aio keeps nothing beyond
/// the chunk it returns. Only the stream's own small queue and the socket
/// buffers run ahead of the reader (a few MiB in Node), so a slow reader
/// slows the sender down (TCP backpressure).
/// Shares the Response's state; copies read the same stream.
class BodyReader {
 public:
  /// The next chunk (never empty), or empty at the end of the body.
  ///
  /// Suspends until the JS stream delivers a chunk. Raises FetchError if the
  /// body fails (connection lost), RuntimeError if another task is already
  /// reading. Cancellation: aborts the request; the body cannot be read
  /// further.
  Task<std::optional<Bytes>> read();

  /// `async for chunk in body`: an async generator over read()'s chunks.
  AsyncGenerator<Bytes> chunks();

  /// The shared state of a response (defined in fetch.cpp).
  struct State;

 private:
  friend class Response;
  static AsyncGenerator<Bytes> iterate(BodyReader reader);
  explicit BodyReader(std::shared_ptr<State> s) : s_(std::move(s)) {}
  std::shared_ptr<State> s_;
};

/// An HTTP response: status and headers at once, the body on demand (once,
/// through one of bytes(), text() or body()). A default-constructed Response
/// is empty (no body; reading it raises RuntimeError). A cheap handle: copies share
/// the same response. The JS objects behind it are released (and an unread
/// body aborted) when the last copy is destroyed.
class Response {
 public:
  int status() const noexcept { return status_; }
  const std::string& status_text() const noexcept { return status_text_; }
  /// True for a 2xx status.
  bool ok() const noexcept { return status_ >= 200 && status_ <= 299; }
  /// The final URL, after redirects.
  const std::string& url() const noexcept { return url_; }
  bool redirected() const noexcept { return redirected_; }
  /// JS Response.type: "basic" (same-origin, and Node's), "cors", "opaque"
  /// (a no-cors request), "opaqueredirect" (a redirect with redirect =
  /// "manual" in a browser: status 0, no headers), "error" or "default".
  const std::string& type() const noexcept { return type_; }
  const Headers& headers() const noexcept { return headers_; }

  /// The whole body. Suspends until it has arrived. Raises FetchError if it
  /// fails, RuntimeError if the body was already taken. Cancellation aborts
  /// the request.
  Task<Bytes> bytes();
  /// The whole body decoded as UTF-8 (invalid sequences become U+FFFD), as JS
  /// Response.text() does. Same rules as bytes().
  Task<std::string> text();
  /// The body as a stream (see BodyReader). RuntimeError if the body was
  /// already taken.
  BodyReader body();

 private:
  friend Task<Response> fetch(std::string url, FetchOptions options);
  static Response parse(int, int staged);
  std::shared_ptr<BodyReader::State> s_;
  int status_ = 0;
  std::string status_text_;
  std::string url_;
  bool redirected_ = false;
  std::string type_;
  Headers headers_;
};

/// Send an HTTP request and return the response as soon as its status and
/// headers have arrived (the body follows on demand).
///
/// Suspends until then. Raises FetchError when no response comes (see the
/// top of this file). Cancellation: aborts the request (the server sees the
/// connection closed) and raises CancelledError.
Task<Response> fetch(std::string url, FetchOptions options = {});

}  // namespace aio::web
