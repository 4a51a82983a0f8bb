// The strict HTTP/1.1 request-head parser (see aio/net/http.hpp for why it is
// hand-rolled). One pass over the bytes; no allocation until a head is
// complete enough to copy out.
#include "aio/net/http.hpp"

#include <array>

namespace aio::http {
namespace {

// RFC 9110 tchar, as a table: the parser asks once per byte of every method
// and header name, and std::isalnum would consult the locale each time.
constexpr auto kTchar = [] {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = t[c - 'a' + 'A'] = true;
  for (unsigned char c : std::string_view("!#$%&'*+-.^_`|~")) t[c] = true;
  return t;
}();
inline bool is_tchar(unsigned char c) { return kTchar[c]; }
// A field-value byte: visible ASCII, space, tab, or obs-text (>= 0x80).
bool is_value_char(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }
// request-target: visible ASCII without spaces (we do not decode it).
bool is_target_char(unsigned char c) { return c > 0x20 && c < 0x7f; }

// ASCII only: header names are tokens, and std::tolower would follow the locale.
inline unsigned char ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(static_cast<unsigned char>(a[i])) != ascii_lower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string_view trim_ows(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

bool has_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    auto comma = list.find(',');
    if (iequals(trim_ows(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string_view Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return {};
}

ParseStatus parse_request(std::string_view data, Request& out, std::size_t& consumed, std::size_t max_head_bytes) {
  std::size_t scanned = 0;
  return parse_request(data, out, consumed, max_head_bytes, scanned);
}

ParseStatus parse_request(std::string_view data, Request& out, std::size_t& consumed, std::size_t max_head_bytes,
                          std::size_t& scanned) {
  // Find the end of the head first: CRLF CRLF. A bare LF anywhere is an error.
  // The first `scanned` bytes hold no CRLF CRLF, but one may straddle their end.
  if (scanned > data.size()) scanned = 0;  // not this head's: scan it all
  std::size_t end = data.find("\r\n\r\n", scanned >= 3 ? scanned - 3 : 0);
  if (end == std::string_view::npos) {
    if (data.size() > max_head_bytes) return ParseStatus::header_too_large;
    // Reject garbage early rather than buffering 8 KiB of it.
    for (std::size_t i = scanned; i < data.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(data[i]);
      if (c == '\n' && (i == 0 || data[i - 1] != '\r')) return ParseStatus::bad_request;
      if (c == 0) return ParseStatus::bad_request;
    }
    scanned = data.size();
    return ParseStatus::incomplete;
  }
  if (end + 4 > max_head_bytes) return ParseStatus::header_too_large;
  std::string_view head = data.substr(0, end + 2);  // each line ends in CRLF

  // Parse into `out` itself, reusing its strings and header vector: a
  // keep-alive server parses every request of a connection into the same
  // Request, which then costs no allocation after the first.
  Request& req = out;
  // ---- request line: method SP request-target SP HTTP/1.x CRLF
  std::size_t eol = head.find("\r\n");
  std::string_view line = head.substr(0, eol);
  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return ParseStatus::bad_request;
  std::string_view method = line.substr(0, sp1);
  for (unsigned char c : method)
    if (!is_tchar(c)) return ParseStatus::bad_request;
  std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return ParseStatus::bad_request;
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  for (unsigned char c : target)
    if (!is_target_char(c)) return ParseStatus::bad_request;
  std::string_view version = line.substr(sp2 + 1);
  if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." || version[7] < '0' || version[7] > '9')
    return ParseStatus::bad_request;
  req.method.assign(method);
  req.target.assign(target);
  req.version_minor = version[7] - '0';
  req.keep_alive = req.version_minor >= 1;
  req.content_length = 0;
  std::size_t nheaders = 0;

  // ---- header fields: name ":" OWS value OWS CRLF
  bool have_length = false;
  bool have_host = false;
  std::size_t pos = eol + 2;
  while (pos < head.size()) {
    std::size_t le = head.find("\r\n", pos);
    std::string_view field = head.substr(pos, le - pos);
    pos = le + 2;
    if (field.empty()) return ParseStatus::bad_request;
    // obs-fold (a line starting with SP/HT) is rejected, as RFC 9112 allows.
    if (field.front() == ' ' || field.front() == '\t') return ParseStatus::bad_request;
    std::size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0) return ParseStatus::bad_request;
    std::string_view name = field.substr(0, colon);
    for (unsigned char c : name)
      if (!is_tchar(c)) return ParseStatus::bad_request;  // includes whitespace before the colon
    std::string_view value = trim_ows(field.substr(colon + 1));
    for (unsigned char c : value)
      if (!is_value_char(c)) return ParseStatus::bad_request;
    if (iequals(name, "content-length")) {
      if (value.empty() || value.size() > 15) return ParseStatus::bad_request;
      std::size_t n = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return ParseStatus::bad_request;
        n = n * 10 + static_cast<std::size_t>(c - '0');
      }
      if (have_length && n != req.content_length) return ParseStatus::bad_request;
      have_length = true;
      req.content_length = n;
    } else if (iequals(name, "transfer-encoding")) {
      return ParseStatus::not_implemented;
    } else if (iequals(name, "connection")) {
      if (has_token(value, "close")) req.keep_alive = false;
      if (has_token(value, "keep-alive")) req.keep_alive = true;
    } else if (iequals(name, "host")) {
      if (have_host) return ParseStatus::bad_request;  // RFC 9112 3.2: exactly one Host
      have_host = true;
    }
    if (nheaders < req.headers.size()) {
      req.headers[nheaders].first.assign(name);
      req.headers[nheaders].second.assign(value);
    } else {
      req.headers.emplace_back(std::string(name), std::string(value));
    }
    ++nheaders;
  }
  req.headers.resize(nheaders);
  if (req.version_minor >= 1 && !have_host) return ParseStatus::bad_request;
  consumed = end + 4;
  return ParseStatus::complete;
}

std::string error_response(int status) {
  const char* reason = status == 400   ? "Bad Request"
                       : status == 408 ? "Request Timeout"
                       : status == 431 ? "Request Header Fields Too Large"
                       : status == 501 ? "Not Implemented"
                                       : "Error";
  std::string body = std::to_string(status) + " " + reason + "\n";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

}  // namespace aio::http
