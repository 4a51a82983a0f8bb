#pragma once
/// aio::web::Bytes: binary data exchanged with the browser (a fetch body, a
/// binary WebSocket message), as opposed to text (std::string, UTF-8).
#include <cstdint>
#include <string_view>
#include <vector>

namespace aio::web {

/// Raw bytes; a JS Uint8Array / ArrayBuffer on the other side.
using Bytes = std::vector<std::uint8_t>;

/// The bytes of `s` (e.g. to send text as a binary message).
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

}  // namespace aio::web
