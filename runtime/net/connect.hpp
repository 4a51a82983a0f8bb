#pragma once
// create_connection's second half, after the lookup: connecting to a list of
// addresses in turn or raced (Happy Eyeballs). Its own header so that tests
// can give it addresses no resolver here returns (a host with an IPv6 and an
// IPv4 address, one of them slow), as asyncio's tests replace getaddrinfo.
#include <memory>
#include <utility>
#include <vector>

#include "aio/net/server.hpp"
#include "aio/net/ssl.hpp"

namespace aio::net::detail {

/// Connect to `addrs` as `options` says (happy_eyeballs_delay, interleave,
/// all_errors, local_addr, nodelay) and start `factory()`'s protocol: over
/// TLS with options.ssl, once the handshake is done (`tls`: server_hostname
/// and the timeouts, made by the caller, who knows the host name).
Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> connect_addresses(
    ProtocolFactory factory, std::vector<SocketAddress> addrs, ConnectionOptions options, TLSOptions tls = {});

/// asyncio's _interleave_addrinfos: by family in order of first appearance,
/// `first_family_count` of the first family, then one of each in turn.
std::vector<SocketAddress> interleave_addresses(const std::vector<SocketAddress>& addrs, int first_family_count);

}  // namespace aio::net::detail
