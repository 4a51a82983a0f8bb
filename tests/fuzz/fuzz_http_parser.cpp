// libFuzzer target: the strict HTTP/1.1 request parser never crashes, and a
// complete request is consistent with its input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "aio/net/http.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  aio::http::Request req;
  std::size_t consumed = 0;
  auto status = aio::http::parse_request(in, req, consumed, 4096);
  if (status == aio::http::ParseStatus::complete) {
    if (consumed > size || consumed < 4) std::abort();
    if (in.substr(consumed - 4, 4) != "\r\n\r\n") std::abort();
    if (req.method.empty() || req.target.empty()) std::abort();
    // Any prefix that stops before the blank line is incomplete (or already bad).
    auto again = aio::http::parse_request(in.substr(0, consumed - 1), req, consumed, 4096);
    if (again == aio::http::ParseStatus::complete) std::abort();
  }
  return 0;
}
