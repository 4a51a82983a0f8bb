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

/// The longest request head (request line and headers) accepted by default;
/// a server answers a longer one with 431 (Request Header Fields Too Large).
inline constexpr std::size_t max_head_bytes_default = 8192;

/// Parse one request head from the start of `data`. On `complete`, `out`
/// holds it; otherwise `out` is unspecified. The parser writes into `out` as
/// it goes, reusing its strings and header vector, so a server that parses
/// every request of a connection into one Request allocates only for the first.
ParseStatus parse_request(std::string_view data, Request& out, std::size_t& consumed,
                          std::size_t max_head_bytes = max_head_bytes_default);

/// The same, for a head that arrives in pieces. `scanned` is how many bytes
/// at the start of `data` an earlier call already looked at and found
/// incomplete (0 for a new head); on `incomplete` it becomes data.size().
/// Each byte is then scanned once however the head is split: a client that
/// trickles its head byte by byte costs the server linear time, not the
/// quadratic time of parsing the whole buffer again at every byte.
ParseStatus parse_request(std::string_view data, Request& out, std::size_t& consumed, std::size_t max_head_bytes,
                          std::size_t& scanned);

/// "HTTP/1.1 400 Bad Request\r\n...", a complete response that closes.
std::string error_response(int status);

}  // namespace aio::http
