// The context keys asyncio's network layer hands to the loop's exception
// handler ('transport', 'protocol', 'socket'), as the reprs its default
// handler prints. Only error paths come here.
#include <arpa/inet.h>
#include <cxxabi.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "aio/detail/str_repr.hpp"
#include "aio/net/protocols.hpp"
#include "internal.hpp"

namespace aio::net::detail {

namespace {

// A socket address as Python's socket module gives it: ('127.0.0.1', 80),
// ('::1', 80, 0, 0), '/tmp/sock'; "" for an unnamed one (TransportSocket's
// repr leaves those out, as Python's `if laddr:`).
std::string python_address(const sockaddr_storage& ss, socklen_t len) {
  if (ss.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(ss);
    char host[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET6, &a.sin6_addr, host, sizeof host);
    return "('" + std::string(host) + "', " + std::to_string(ntohs(a.sin6_port)) + ", " +
           std::to_string(ntohl(a.sin6_flowinfo)) + ", " + std::to_string(a.sin6_scope_id) + ")";
  }
  SocketAddress addr = from_sockaddr(reinterpret_cast<const sockaddr*>(&ss), len);
  if (addr.empty() || (addr.family == AF_UNIX && addr.path.empty())) return {};
  return addr.to_string();
}

}  // namespace

std::string describe_object(const void* most_derived, const std::type_info& type) noexcept {
  try {
    int status = 0;
    std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status),
                                                     std::free);
    return "<" + std::string(status == 0 && demangled ? demangled.get() : type.name()) + " object at " +
           aio::detail::address_repr(most_derived) + ">";
  } catch (...) {
    return {};
  }
}

std::string selector_transport_repr(const char* cls, int fd, bool closing, bool loop_open, bool read_polling,
                                    bool write_polling, std::size_t bufsize) {
  std::string out = "<";
  out += cls;
  if (fd < 0)
    out += " closed";
  else if (closing)
    out += " closing";
  out += " fd=" + std::to_string(fd);
  if (loop_open) {
    out += read_polling ? " read=polling" : " read=idle";
    out += write_polling ? " write=<polling, bufsize=" : " write=<idle, bufsize=";
    out += std::to_string(bufsize) + ">";
  }
  out += ">";
  return out;
}

std::string describe_transport(const BaseTransport& transport) noexcept {
  try {
    return transport.describe();
  } catch (...) {
    return {};
  }
}

std::string describe_socket(int fd) noexcept {
  try {
    auto option = [fd](int name) {
      int value = -1;
      socklen_t len = sizeof value;
      return ::getsockopt(fd, SOL_SOCKET, name, &value, &len) == 0 ? value : -1;
    };
    // Python prints the family and type as numbers here (3.11's IntEnum str).
    std::string out = "<asyncio.TransportSocket fd=" + std::to_string(fd) +
                      ", family=" + std::to_string(option(SO_DOMAIN)) + ", type=" + std::to_string(option(SO_TYPE)) +
                      ", proto=" + std::to_string(option(SO_PROTOCOL));
    sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
      std::string laddr = python_address(ss, len);
      if (!laddr.empty()) out += ", laddr=" + laddr;
    }
    len = sizeof ss;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
      std::string raddr = python_address(ss, len);
      if (!raddr.empty()) out += ", raddr=" + raddr;
    }
    return out + ">";
  } catch (...) {
    return {};
  }
}

void report_error(EventLoop& loop, std::string message, std::exception_ptr exc, const BaseTransport* transport,
                  const BaseProtocol* protocol) noexcept {
  ExceptionContext ctx;
  ctx.message = std::move(message);
  ctx.exception = std::move(exc);
  if (transport) ctx.transport = describe_transport(*transport);
  if (protocol) ctx.protocol = describe_object(*protocol);
  loop.call_exception_handler(ctx);
}

void report_socket_error(EventLoop& loop, std::string message, std::exception_ptr exc, int fd) noexcept {
  ExceptionContext ctx;
  ctx.message = std::move(message);
  ctx.exception = std::move(exc);
  ctx.socket = describe_socket(fd);
  loop.call_exception_handler(ctx);
}

}  // namespace aio::net::detail

namespace aio {

// Any other transport (TLS's, a user's): Python's default repr, as asyncio's
// _SSLProtocolTransport, which has no repr of its own, shows.
std::string BaseTransport::describe() const { return net::detail::describe_object(*this); }

}  // namespace aio
