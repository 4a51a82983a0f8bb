#pragma once
/// Socket addresses as asyncio hands them out: an (host, port) pair for
/// IPv4/IPv6, a path for unix sockets. What get_extra_info("peername") and
/// ("sockname") return, and what datagram_received() gets.
#include <string>

namespace aio {

struct SocketAddress {
  /// AF_INET, AF_INET6 or AF_UNIX (0 for "none").
  int family = 0;
  /// A numeric address ("127.0.0.1", "::1"), for inet families.
  std::string host;
  int port = 0;
  /// The socket path, for AF_UNIX ("" when unnamed).
  std::string path;

  bool empty() const noexcept { return family == 0; }
  /// "('127.0.0.1', 8080)" or "'/tmp/sock'", as Python prints the address.
  std::string to_string() const;
  bool operator==(const SocketAddress& o) const noexcept {
    return family == o.family && host == o.host && port == o.port && path == o.path;
  }
};

/// An (host, port) address; `SocketAddress::inet("127.0.0.1", 80)`.
SocketAddress inet_address(std::string host, int port);
/// A unix socket path.
SocketAddress unix_address(std::string path);

}  // namespace aio
