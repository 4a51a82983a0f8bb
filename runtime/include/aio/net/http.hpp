#pragma once
/// A small, strict HTTP/1.1 request parser for the demo servers (`aio serve
/// http`) and their fuzz target.
///
/// Hand-rolled because no well-kept parsing library is packaged for this
/// toolchain (Debian 12 has no llhttp or picohttpparser development
/// package, and the build may not download one). It is deliberately strict
/// (RFC 9112): anything it does not understand is a 400, never a guess —
/// obsolete line folding, bare LF, whitespace before the colon, a
/// Content-Length that is not all digits or that disagrees with another one,
/// and control characters are all rejected. Request bodies are supported
/// through Content-Length only; Transfer-Encoding gets 501.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aio::http {

struct Request {
  std::string method;
  std::string target;
  int version_minor = 1;  // HTTP/1.<minor>
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t content_length = 0;
  /// Keep the connection open after the response (HTTP/1.1 default, or
  /// "Connection: keep-alive" on 1.0; "Connection: close" turns it off).
  bool keep_alive = true;
  /// The value of header `name` (case-insensitive), or "".
  std::string_view header(std::string_view name) const;
};

enum class ParseStatus {
  /// More bytes are needed.
  incomplete,
  /// A request head was parsed; `consumed` bytes (the head) belong to it,
  /// followed by `content_length` bytes of body.
  complete,
  /// Malformed: answer 400 and close.
  bad_request,
  /// The head is longer than the limit: answer 431 and close.
  header_too_large,
  /// Valid but unsupported (Transfer-Encoding): answer 501 and close.
  not_implemented,
};

/// Parse one request head from the start of `data`. On `complete`, `out`
/// holds it; otherwise `out` is unspecified. The parser writes into `out` as
/// it goes, reusing its strings and header vector, so a server that parses
/// every request of a connection into one Request allocates only for the first.
ParseStatus parse_request(std::string_view data, Request& out, std::size_t& consumed,
                          std::size_t max_head_bytes = 8192);

/// "HTTP/1.1 400 Bad Request\r\n...", a complete response that closes.
std::string error_response(int status);

}  // namespace aio::http
