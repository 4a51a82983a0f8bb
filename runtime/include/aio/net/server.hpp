#pragma once
/// Creating connections and servers (asyncio's loop.create_connection,
/// loop.create_server, loop.create_unix_*, loop.connect_accepted_socket,
/// loop.create_datagram_endpoint, loop.sendfile) and asyncio.Server.
///
///     struct Echo : aio::Protocol {
///       aio::Transport* t = nullptr;
///       void connection_made(aio::Transport& tr) override { t = &tr; }
///       void data_received(std::string_view d) override { t->write(d); }
///     };
///     auto server = co_await aio::create_server([] { return std::make_shared<Echo>(); }, "127.0.0.1", 8888);
///     co_await server->serve_forever();
///
/// g++ 12: a lambda that captures something, written inside a co_await
/// expression, is destroyed twice (a shared_ptr capture loses a reference).
/// Bind such factories to a local first:
///     aio::ProtocolFactory factory = [state] { return std::make_shared<P>(state); };
///     auto server = co_await aio::create_server(factory, "127.0.0.1", 8888);
#include <netdb.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aio/detail/intrusive_list.hpp"
#include "aio/detail/loop_ref.hpp"
#include "aio/event_loop.hpp"
#include "aio/net/address.hpp"
#include "aio/net/io_wait.hpp"
#include "aio/net/protocols.hpp"
#include "aio/net/ssl.hpp"
#include "aio/sync/event.hpp"
#include "aio/task.hpp"

namespace aio {

using ProtocolFactory = std::function<std::shared_ptr<Protocol>()>;
using DatagramProtocolFactory = std::function<std::shared_ptr<DatagramProtocol>()>;

namespace net::detail {
class StreamTransportImpl;
class ListenerSocket;
}  // namespace net::detail

/// asyncio.Server: listening sockets and the connections they accepted.
class Server : public std::enable_shared_from_this<Server> {
 public:
  Server(EventLoop& loop, ProtocolFactory factory, std::size_t backlog);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The server's loop (closed or not); RuntimeError if the server
  /// outlived it (the loop was destroyed).
  EventLoop& get_loop() const { return loop_ref_.get_or_raise("server"); }
  /// The listening sockets' fds (empty once closed).
  std::vector<int> sockets() const;
  /// The first listening socket's address (handy with port 0).
  SocketAddress sockname() const;
  bool is_serving() const noexcept { return serving_; }
  /// Start accepting connections (create_server does unless start_serving=false).
  void start_serving();
  /// Accept until cancelled; on cancellation close() and wait_closed().
  /// RuntimeError if already running or closed.
  Task<void> serve_forever();
  /// Stop listening and close the listening sockets. Connections accepted
  /// earlier stay open (see close_clients / abort_clients).
  void close();
  /// close() the transports of every connection (Python 3.13).
  void close_clients();
  /// abort() them (Python 3.13).
  void abort_clients();
  /// Wait until the server is closed and its connections are all gone.
  Task<void> wait_closed();
  std::size_t active_connections() const noexcept { return active_; }

  // For the implementation.
  void add_listener(int fd);
  void attach(net::detail::StreamTransportImpl* t) noexcept;
  void detach(net::detail::StreamTransportImpl* t) noexcept;
  const ProtocolFactory& factory() const noexcept { return factory_; }
  /// TLS for the accepted connections (create_server's ServerOptions::ssl).
  void set_tls(SSLContext context, TLSOptions options) {
    tls_context_ = std::move(context);
    tls_options_ = options;
  }
  const std::optional<SSLContext>& tls_context() const noexcept { return tls_context_; }
  const TLSOptions& tls_options() const noexcept { return tls_options_; }
  std::size_t backlog() const noexcept { return backlog_; }
  /// SO_KEEPALIVE on every accepted connection (ServerOptions::keep_alive).
  void set_keep_alive(bool on) noexcept { keep_alive_ = on; }
  bool keep_alive() const noexcept { return keep_alive_; }
  /// close() removes the unix socket file at `path` if it is still the one
  /// with this device and inode (ServerOptions::cleanup_socket).
  void set_unix_cleanup(std::string path, std::uint64_t dev, std::uint64_t ino) {
    unix_cleanup_ = UnixCleanup{std::move(path), dev, ino};
  }

 private:
  void maybe_wakeup();
  void remove_unix_socket_file() noexcept;
  struct UnixCleanup {
    std::string path;
    std::uint64_t dev;
    std::uint64_t ino;
  };
  EventLoop* loop_;
  detail::LoopRef loop_ref_;  // tells whether loop_ still exists
  ProtocolFactory factory_;
  std::size_t backlog_;
  std::optional<SSLContext> tls_context_;
  TLSOptions tls_options_;
  bool keep_alive_ = false;
  std::optional<UnixCleanup> unix_cleanup_;
  std::vector<std::unique_ptr<net::detail::ListenerSocket>> listeners_;
  // Newest first: close_clients() and abort_clients() go through them in
  // this order.
  detail::IntrusiveList<net::detail::StreamTransportImpl> clients_;
  std::size_t active_ = 0;
  bool serving_ = false;
  bool closed_ = false;
  bool serving_forever_ = false;
  Event closed_event_;
  net::detail::WaitLot forever_;
};

struct ServerOptions {
  /// Address family for the lookup of the host: AF_INET, AF_INET6, or 0
  /// (AF_UNSPEC) for every family the host has.
  int family = 0;
  /// getaddrinfo flags for that lookup (AI_PASSIVE, as asyncio).
  int flags = AI_PASSIVE;
  /// A socket already bound (a descriptor you made, or inherited from a
  /// service manager) to serve instead of host and port: use the overload
  /// without host and port. The server owns it from then on; if the call
  /// raises ValueError the descriptor stays yours, open.
  std::optional<int> sock;
  std::size_t backlog = 100;
  /// SO_REUSEADDR (default on, as asyncio on Unix).
  bool reuse_address = true;
  /// SO_REUSEPORT: several sockets (loops, threads) share the port.
  bool reuse_port = false;
  /// SO_KEEPALIVE (Python 3.13's keep_alive): the kernel probes idle
  /// connections and reports a dead peer as an error. Set on the listening
  /// sockets, as asyncio, and on every connection accepted (so a server on
  /// `sock` gets it too). Not for unix sockets.
  bool keep_alive = false;
  /// Unix servers (Python 3.13's cleanup_socket): close() removes the socket
  /// file, unless it is not the one the server bound any more (another
  /// server replaced it: the device and inode differ). Also for a server on
  /// a `sock` bound to a path. Not for abstract sockets.
  bool cleanup_socket = true;
  bool start_serving = true;
  /// TLS: every accepted connection does a server handshake with this
  /// context first; the protocol's connection_made comes after it. A
  /// connection whose handshake fails is closed (and reported to the loop's
  /// exception handler); the server goes on serving.
  std::optional<SSLContext> ssl;
  /// Seconds for the TLS handshake (default 60) and for the close_notify
  /// exchange of close() (default 30). ValueError without `ssl`.
  std::optional<double> ssl_handshake_timeout;
  std::optional<double> ssl_shutdown_timeout;
};

/// Listen on `host`:`port` (every address of `host`; "" for all interfaces,
/// port 0 for any free port: see Server::sockname()).
Task<std::shared_ptr<Server>> create_server(ProtocolFactory factory, std::string host, int port,
                                            ServerOptions options);
/// Listen on every address of every host in `hosts` (asyncio's create_server
/// with a sequence of hosts): each is looked up, and an address that two of
/// them share is listened on once. With port 0 each socket gets its own free
/// port (see Server::sockets()). OSError when there is nothing to listen on.
/// Pass a std::vector: a braced list of two strings would be ambiguous with
/// the single host's overload.
Task<std::shared_ptr<Server>> create_server(ProtocolFactory factory, std::vector<std::string> hosts, int port,
                                            ServerOptions options);
inline Task<std::shared_ptr<Server>> create_server(ProtocolFactory factory, std::vector<std::string> hosts, int port) {
  return create_server(std::move(factory), std::move(hosts), port, ServerOptions{});
}
/// Listen on a unix socket `path` (an existing socket file there is removed;
/// with options.cleanup_socket, the default, close() removes ours).
Task<std::shared_ptr<Server>> create_unix_server(ProtocolFactory factory, std::string path,
                                                 ServerOptions options);
// Overloads rather than default arguments of class type: see subprocess.hpp.
inline Task<std::shared_ptr<Server>> create_server(ProtocolFactory factory, std::string host, int port) {
  return create_server(std::move(factory), std::move(host), port, ServerOptions{});
}
/// Serve on `options.sock`, a bound stream socket (asyncio's
/// `create_server(factory, sock=sock)`); ValueError without one.
Task<std::shared_ptr<Server>> create_server(ProtocolFactory factory, ServerOptions options);
inline Task<std::shared_ptr<Server>> create_unix_server(ProtocolFactory factory, std::string path) {
  return create_unix_server(std::move(factory), std::move(path), ServerOptions{});
}
/// Serve on `options.sock`, a bound AF_UNIX stream socket (asyncio's
/// `create_unix_server(factory, sock=sock)`). ValueError without one, for
/// another kind of socket, and from the overload with a path when
/// `options.sock` is set too ("path and sock can not be specified at the
/// same time").
Task<std::shared_ptr<Server>> create_unix_server(ProtocolFactory factory, ServerOptions options);

struct ConnectionOptions {
  /// Address family for the lookup of the host: AF_INET, AF_INET6, or 0
  /// (AF_UNSPEC) for every family the host has.
  int family = 0;
  /// Protocol and getaddrinfo flags for that lookup.
  int proto = 0;
  int flags = 0;
  /// A socket already connected to use instead of host and port: use the
  /// overload without host and port. The transport owns it from then on; if
  /// the call raises ValueError the descriptor stays yours, open.
  std::optional<int> sock;
  /// Bind the socket to this local address first.
  std::optional<SocketAddress> local_addr;
  /// Happy Eyeballs (RFC 8305), as asyncio: when the host has several
  /// addresses, start connecting to the next one this many seconds after the
  /// previous attempt started (0.25 is the RFC's advice), or at once when it
  /// fails; the first connection made wins and the others are cancelled.
  /// Unset: one address after the other, each waiting for the last to fail.
  std::optional<double> happy_eyeballs_delay;
  /// Reorder the addresses by alternating families (IPv6, IPv4, IPv6, ...),
  /// `interleave` of the first family first. 0: keep getaddrinfo's order.
  /// Unset: 1 with happy_eyeballs_delay, 0 without, as asyncio.
  std::optional<int> interleave;
  /// When every attempt fails, raise an ExceptionGroup("create_connection
  /// failed", [the OSError of each attempt]) instead of one OSError.
  bool all_errors = false;
  /// TCP_NODELAY (default on, as asyncio).
  bool nodelay = true;
  /// TLS: do a client handshake with this context before connection_made
  /// (create_connection returns once it is done, or raises SSLError,
  /// SSLCertVerificationError, ConnectionAbortedError on the timeout).
  std::optional<SSLContext> ssl;
  /// The name for SNI and the certificate check; default: `host`. "" sends
  /// no SNI and checks no name (the context must not check_hostname).
  /// ValueError without `ssl`, as asyncio.
  std::optional<std::string> server_hostname;
  /// As ServerOptions' (defaults 60 and 30 seconds; ValueError without `ssl`).
  std::optional<double> ssl_handshake_timeout;
  std::optional<double> ssl_shutdown_timeout;
};

/// Connect to `host`:`port` (the addresses getaddrinfo gives, one after the
/// other or raced, see ConnectionOptions) and start `factory()`'s protocol
/// on the connection. When every address fails: their OSError if there was
/// one or they all read the same, else OSError("Multiple exceptions: ...").
Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> create_connection(
    ProtocolFactory factory, std::string host, int port, ConnectionOptions options);
inline Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> create_connection(
    ProtocolFactory factory, std::string host, int port) {
  return create_connection(std::move(factory), std::move(host), port, ConnectionOptions{});
}
/// Start `factory()`'s protocol on `options.sock`, a connected stream socket
/// (asyncio's `create_connection(factory, sock=sock)`); ValueError without one.
Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> create_connection(ProtocolFactory factory,
                                                                                         ConnectionOptions options);
/// Connect to the unix socket at `path`, with options: `ssl` (server_hostname
/// is then required when the context checks host names: a path is no host
/// name), the TLS timeouts. local_addr and nodelay do not apply to unix sockets.
Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> create_unix_connection(
    ProtocolFactory factory, std::string path, ConnectionOptions options);
inline Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> create_unix_connection(
    ProtocolFactory factory, std::string path) {
  return create_unix_connection(std::move(factory), std::move(path), ConnectionOptions{});
}
/// Over `options.sock`, a connected AF_UNIX stream socket (asyncio's
/// `create_unix_connection(factory, sock=sock)`); ValueError without one or
/// for another kind of socket, and from the overload with a path when
/// `options.sock` is set too. With `ssl`, server_hostname is required.
Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> create_unix_connection(
    ProtocolFactory factory, ConnectionOptions options);
/// Wrap a connected socket (accepted elsewhere) in a transport. Takes
/// ownership of `fd`.
Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> connect_accepted_socket(
    ProtocolFactory factory, int fd);

/// connect_accepted_socket's options: TLS as the server side of the
/// connection (asyncio's ssl=, ssl_handshake_timeout=, ssl_shutdown_timeout=).
struct AcceptedSocketOptions {
  /// A server context: the call does the server handshake on the socket and
  /// returns once it is done (the protocol's connection_made comes after
  /// it), or raises what it failed with (SSLError, ConnectionAbortedError on
  /// the timeout; the socket is closed then).
  std::optional<SSLContext> ssl;
  /// As ServerOptions' (defaults 60 and 30 seconds; ValueError without `ssl`).
  std::optional<double> ssl_handshake_timeout;
  std::optional<double> ssl_shutdown_timeout;
};
/// The same, over TLS when `options.ssl` is set:
///     aio::AcceptedSocketOptions options;
///     options.ssl = server_context;
///     auto [transport, protocol] = co_await aio::connect_accepted_socket(factory, fd, options);
/// ValueError (the fd then stays yours, open) for a socket that is not a
/// stream socket, a client context, or a timeout without `ssl`.
Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> connect_accepted_socket(
    ProtocolFactory factory, int fd, AcceptedSocketOptions options);

/// The same, typed: `auto [t, p] = co_await aio::create_connection<Client>(...)`.
template <class P>
Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<P>>> create_connection(std::function<std::shared_ptr<P>()> f,
                                                                                  std::string host, int port) {
  ProtocolFactory factory = [f] { return std::static_pointer_cast<Protocol>(f()); };
  auto connecting = create_connection(factory, std::move(host), port);
  auto r = co_await connecting;
  co_return std::make_pair(r.first, std::static_pointer_cast<P>(r.second));
}

struct DatagramOptions {
  std::optional<SocketAddress> local_addr;
  std::optional<SocketAddress> remote_addr;
  /// Address family for the lookups: AF_INET, AF_INET6, or 0 for any.
  int family = 0;
  /// The protocol for the lookups and the socket (0: the family's default,
  /// IPPROTO_UDP for UDP) and getaddrinfo flags for the lookups (AI_PASSIVE
  /// is added for local_addr's), as asyncio's proto= and flags=.
  int proto = 0;
  int flags = 0;
  bool reuse_port = false;
  bool allow_broadcast = false;
  /// A datagram socket to use as it is (bound, connected or neither), instead
  /// of the options above, which must then be left unset. The transport owns
  /// it from then on; if the call raises ValueError it stays yours, open.
  std::optional<int> sock;
};
/// A UDP endpoint, bound to local_addr and/or connected to remote_addr, or
/// on `sock`.
Task<std::pair<std::shared_ptr<DatagramTransport>, std::shared_ptr<DatagramProtocol>>> create_datagram_endpoint(
    DatagramProtocolFactory factory, DatagramOptions options);

/// Send `count` bytes (0: to the end) of file `file_fd` from `offset` over
/// `transport` with the kernel's sendfile, or, when that is not possible
/// (a pipe, a TLS transport, or the kernel refuses) and `fallback` is true,
/// by reading the file and writing it under the transport's flow control
/// (SendfileNotAvailableError without the fallback). Returns the bytes sent.
/// As in asyncio, the file's position is left at offset + the bytes sent, even
/// when the call raises (then it tells how much went out).
Task<std::size_t> sendfile(Transport& transport, int file_fd, std::size_t offset = 0, std::size_t count = 0,
                           bool fallback = true);

}  // namespace aio
