// Servers and client connections: asyncio's create_server / Server,
// create_connection, connect_accepted_socket, the unix variants and sendfile.
#include "aio/net/server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <type_traits>

#include "aio/net/io.hpp"
#include "aio/wait.hpp"
#include "connect.hpp"
#include "internal.hpp"
#include "ssl_protocol.hpp"
#include "stream_transport.hpp"

namespace aio {
namespace net::detail {

bool testing_disable_native_sendfile = false;

namespace {
inline bool would_block(int err) { return err == EAGAIN || err == EWOULDBLOCK; }

void set_nodelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

void set_keep_alive(int fd) {
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
}
}  // namespace

/// A listening socket of a Server: accepts on readiness (edge-triggered, so
/// each wake-up accepts until EAGAIN, at most `backlog` at a time).
class ListenerSocket final : public IoWatcher, public LoopResource {
 public:
  ListenerSocket(NetState& net, Server& server, int fd) : net_(net), server_(server), fd_(fd) {
    net_.resources.insert(this);
  }
  ~ListenerSocket() override {
    if (!detached_) net_.resources.erase(this);
    close();
  }
  void loop_closing() noexcept override {
    detached_ = true;
    io_.reset();
    retry_.cancel();
    retry_ = TimerHandle();  // the loop is going away: never touch it again
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd() const noexcept { return fd_; }
  void start() {
    if (serving_ || fd_ < 0) return;
    serving_ = true;
    // Made when serving starts, as asyncio's add_reader in _start_serving:
    // accepted connections' protocols get a copy of the context current now.
    if (!io_) io_.set(net_.loop, [this] { accept_connections(); }, "accept");
    if (!registered_) {
      net_.selector.add(fd_, Selector::readable, Selector::Mode::edge, this);
      registered_ = true;
    }
    io_.schedule();  // connections may be waiting already
  }
  void close() noexcept {
    serving_ = false;
    io_.reset();
    if (detached_) return;
    retry_.cancel();
    retry_ = TimerHandle();
    if (fd_ < 0) return;
    if (registered_) net_.selector.remove(fd_);
    ::close(fd_);
    fd_ = -1;
  }
  void io_ready(unsigned events) noexcept override {
    if (serving_) io_.schedule();
  }

 private:
  // accept(2): Linux reports a connection that failed while it waited in the
  // backlog as accept's own error; the man page says to treat these like
  // EAGAIN and accept the next one (asyncio's ConnectionAbortedError case).
  static bool connection_failed_before_accept(int err) noexcept {
    switch (err) {
      case ECONNABORTED: case ENETDOWN: case EPROTO: case ENOPROTOOPT: case EHOSTDOWN:
      case ENONET: case EHOSTUNREACH: case EOPNOTSUPP: case ENETUNREACH:
        return true;
      default:
        return false;
    }
  }

  void accept_connections() {
    if (!serving_ || fd_ < 0) return;
    // The protocol factory may close the server and drop the last reference
    // to it: that would free the server, this listener and the factory
    // itself under the loop below. Keep the server alive until we return
    // (it, and then this listener, may be freed when `keep` goes).
    std::shared_ptr<Server> keep = server_.weak_from_this().lock();
    for (std::size_t i = 0; i < server_.backlog(); ++i) {
      if (!serving_ || fd_ < 0) return;  // the factory closed the server
      // The peer's address comes with the accept, for nothing: kept for
      // get_extra_info("peername"), as the local one below.
      sockaddr_storage peer;
      socklen_t peer_len = sizeof peer;
      int c = ::accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &peer_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (c < 0) {
        int err = errno;
        if (err == EINTR || connection_failed_before_accept(err)) continue;
        if (would_block(err)) return;
        // Out of descriptors or memory, or an error we do not expect: stop
        // accepting for a second (asyncio's ACCEPT_RETRY_DELAY) instead of
        // spinning. The retry matters: with edge-triggered readiness the
        // connections still pending would otherwise wait for a new one.
        bool resources = err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM;
        net::detail::report_socket_error(net_.loop,
                                         resources ? "socket.accept() out of system resource (raise `ulimit -n`?)"
                                                   : "Error on accept(): retrying in 1 second",
                                         make_os_error(err, "accept"), fd_);
        retry_ = net_.loop.call_later(1.0, [this] { io_.schedule(); }, "accept retry");
        return;
      }
      sockaddr_storage local;
      socklen_t local_len = sizeof local;
      if (::getsockname(c, reinterpret_cast<sockaddr*>(&local), &local_len) < 0) local_len = 0;
      if (local_len && local.ss_family != AF_UNIX) {
        set_nodelay(c);
        // Linux copies SO_KEEPALIVE from the listening socket, but a server on
        // a `sock` made elsewhere may not have it there: set on each.
        if (server_.keep_alive()) set_keep_alive(c);
      }
      std::shared_ptr<Protocol> protocol;
      try {
        protocol = server_.factory()();
        // Checked here as create_connection does: a null protocol would crash
        // the whole server in connection_made, not just this connection.
        if (!protocol)
          throw TypeError("the protocol factory returned null: it must return a std::shared_ptr<Protocol>");
        // TLS: the socket's protocol is the TLS layer, which gives the
        // user's protocol connection_made once the handshake is done.
        if (const auto& tls = server_.tls_context())
          protocol = std::make_shared<SSLProtocolImpl>(net_.loop, *tls, std::move(protocol), server_.tls_options());
      } catch (...) {
        ::close(c);
        net::detail::report_error(net_.loop, "Error in the server's protocol factory", std::current_exception());
        continue;
      }
      auto t = std::make_shared<StreamTransportImpl>(net_, c, StreamTransportImpl::socket);
      t->set_peername(reinterpret_cast<sockaddr*>(&peer), peer_len);
      t->set_sockname(reinterpret_cast<sockaddr*>(&local), local_len);
      t->start(std::move(protocol), t, &server_, /*call_soon=*/true);
    }
    io_.schedule();  // `backlog` accepted: the rest on the next iteration
  }

  NetState& net_;
  Server& server_;
  int fd_;
  bool registered_ = false;
  bool serving_ = false;
  bool detached_ = false;
  IoHandle io_;
  TimerHandle retry_;
};

}  // namespace net::detail

using net::detail::ListenerSocket;
using net::detail::set_keep_alive;
using net::detail::set_nodelay;
using net::detail::SSLProtocolImpl;
using net::detail::would_block;
using net::detail::NetState;
using net::detail::StreamTransportImpl;
using net::detail::check_given_socket;
using net::detail::throw_os_error;

// ---- Server ---------------------------------------------------------------------

Server::Server(EventLoop& loop, ProtocolFactory factory, std::size_t backlog)
    : loop_(&loop), loop_ref_(loop.anchor()), factory_(std::move(factory)), backlog_(backlog ? backlog : 1) {}

Server::~Server() {
  listeners_.clear();
  // Connections outlive the server object; they just stop reporting to it.
  while (StreamTransportImpl* t = clients_.pop_front()) t->forget_server();
}

void Server::add_listener(int fd) {
  listeners_.push_back(std::make_unique<ListenerSocket>(net::detail::net_state(*loop_), *this, fd));
}

std::vector<int> Server::sockets() const {
  std::vector<int> fds;
  for (auto& l : listeners_)
    if (l->fd() >= 0) fds.push_back(l->fd());
  return fds;
}

SocketAddress Server::sockname() const {
  for (auto& l : listeners_)
    if (l->fd() >= 0) return getsockname(l->fd());
  return {};
}

void Server::start_serving() {
  if (closed_) throw RuntimeError("Server is closed: create a new one");
  if (serving_) return;
  serving_ = true;
  for (auto& l : listeners_) l->start();
}

void Server::close() {
  if (closed_) return;
  closed_ = true;
  serving_ = false;
  // Closed, not destroyed: close() may be called by the protocol factory,
  // from inside a listener's accept loop. ~Server frees them.
  for (auto& l : listeners_) l->close();
  remove_unix_socket_file();
  forever_.wake();
  maybe_wakeup();
}

void Server::remove_unix_socket_file() noexcept {
  if (!unix_cleanup_) return;
  UnixCleanup file = std::move(*unix_cleanup_);
  unix_cleanup_.reset();
  // Only the file we bound: a server started since on the same path (which
  // removed ours as stale and bound its own) keeps its socket. As asyncio,
  // a file already gone, or one we cannot look at, is left alone.
  struct stat st;
  if (::stat(file.path.c_str(), &st) == 0 && static_cast<std::uint64_t>(st.st_dev) == file.dev &&
      static_cast<std::uint64_t>(st.st_ino) == file.ino)
    ::unlink(file.path.c_str());
}

void Server::close_clients() {
  std::vector<std::shared_ptr<Transport>> all;
  for (StreamTransportImpl* t : clients_)
    if (auto s = t->shared()) all.push_back(std::move(s));
  for (auto& t : all) t->close();
}

void Server::abort_clients() {
  std::vector<std::shared_ptr<Transport>> all;
  for (StreamTransportImpl* t : clients_)
    if (auto s = t->shared()) all.push_back(std::move(s));
  for (auto& t : all) t->abort();
}

void Server::attach(StreamTransportImpl* t) noexcept {
  clients_.push_front(t);
  ++active_;
}

void Server::detach(StreamTransportImpl* t) noexcept {
  if (!clients_.contains(t)) return;
  clients_.remove(t);
  --active_;
  maybe_wakeup();
}

void Server::maybe_wakeup() {
  if (closed_ && active_ == 0 && !closed_event_.is_set()) {
    try {
      closed_event_.set();
    } catch (...) {
    }
  }
}

Task<void> Server::wait_closed() {
  if (closed_ && active_ == 0) co_return;
  co_await closed_event_.wait();
}

Task<void> Server::serve_forever() {
  if (serving_forever_) throw RuntimeError("server is already being awaited on serve_forever()");
  if (closed_) throw RuntimeError("server is closed: serve_forever() needs a server that was not closed");
  start_serving();
  serving_forever_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{serving_forever_};
  try {
    while (!closed_) co_await net::detail::IoWait{&forever_, "serve_forever"};
    throw CancelledError();  // close() cancels serve_forever, as asyncio
  } catch (const CancelledError&) {
    close();
    // The cleanup awaits: rethrow afterwards.
  }
  co_await wait_closed();
  throw CancelledError();
}

// ---- TLS options ----------------------------------------------------------------

namespace {
// asyncio's checks of the ssl arguments (base_events.create_connection and
// create_server), made before anything is connected or bound.
void check_ssl_timeouts(bool ssl, const std::optional<double>& handshake, const std::optional<double>& shutdown) {
  if (handshake && !ssl) throw ValueError("ssl_handshake_timeout is only meaningful with ssl");
  if (shutdown && !ssl) throw ValueError("ssl_shutdown_timeout is only meaningful with ssl");
  if (handshake && !(*handshake > 0))
    throw ValueError("ssl_handshake_timeout should be a positive number, got " + net::detail::python_float(*handshake));
  if (shutdown && !(*shutdown > 0))
    throw ValueError("ssl_shutdown_timeout should be a positive number, got " + net::detail::python_float(*shutdown));
}

TLSOptions server_tls_options(const ServerOptions& o, const char* what = "create_server") {
  check_ssl_timeouts(o.ssl.has_value(), o.ssl_handshake_timeout, o.ssl_shutdown_timeout);
  TLSOptions tls;
  tls.server_side = true;
  if (o.ssl && !o.ssl->server_side())
    throw ValueError(std::string(what) +
                     "(ssl=...) needs a server context (SSLContext(SSLMethod::PROTOCOL_TLS_SERVER) or "
                     "create_default_context(Purpose::CLIENT_AUTH))");
  if (o.ssl_handshake_timeout) tls.ssl_handshake_timeout = *o.ssl_handshake_timeout;
  if (o.ssl_shutdown_timeout) tls.ssl_shutdown_timeout = *o.ssl_shutdown_timeout;
  return tls;
}

// `host` is what server_hostname defaults to ("" for a unix socket: none).
TLSOptions client_tls_options(const ConnectionOptions& o, const std::string& host) {
  if (o.server_hostname && !o.ssl) throw ValueError("server_hostname is only meaningful with ssl");
  check_ssl_timeouts(o.ssl.has_value(), o.ssl_handshake_timeout, o.ssl_shutdown_timeout);
  TLSOptions tls;
  if (!o.ssl) return tls;
  if (o.ssl->server_side())
    throw ValueError(
        "create_connection(ssl=...) needs a client context (SSLContext(SSLMethod::PROTOCOL_TLS_CLIENT) "
        "or create_default_context())");
  if (o.server_hostname) {
    tls.server_hostname = *o.server_hostname;
  } else {
    if (host.empty()) throw ValueError("You must set server_hostname when using ssl without a host");
    tls.server_hostname = host;
  }
  if (tls.server_hostname.empty() && o.ssl->check_hostname())
    throw ValueError("check_hostname requires server_hostname");
  if (o.ssl_handshake_timeout) tls.ssl_handshake_timeout = *o.ssl_handshake_timeout;
  if (o.ssl_shutdown_timeout) tls.ssl_shutdown_timeout = *o.ssl_shutdown_timeout;
  return tls;
}
}  // namespace

// ---- create_server ------------------------------------------------------------

namespace {
int listen_socket(const SocketAddress& addr, const ServerOptions& options) {
  int fd = make_socket(addr.family, SOCK_STREAM);
  try {
    int one = 1;
    if (addr.family != AF_UNIX) {
      if (options.reuse_address) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (options.reuse_port && ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0)
        throw_os_error(errno, "setsockopt(SO_REUSEPORT)");
      if (options.keep_alive) set_keep_alive(fd);
      // asyncio: an IPv6 socket serves IPv6 only (IPv4 has its own socket).
      if (addr.family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    }
    bind_socket(fd, addr);
    if (::listen(fd, static_cast<int>(options.backlog)) < 0) throw_os_error(errno, "listen");
  } catch (...) {
    ::close(fd);
    throw;
  }
  return fd;
}
}  // namespace

Task<std::shared_ptr<Server>> create_server(ProtocolFactory factory, std::string host, int port,
                                            ServerOptions options) {
  std::vector<std::string> hosts;
  hosts.push_back(std::move(host));
  return create_server(std::move(factory), std::move(hosts), port, std::move(options));
}

Task<std::shared_ptr<Server>> create_server(ProtocolFactory factory, std::vector<std::string> hosts, int port,
                                            ServerOptions options) {
  EventLoop& loop = get_running_loop();
  net::detail::net_state(loop);
  if (options.sock) throw ValueError("host/port and sock can not be specified at the same time");
  net::detail::check_port(port, "create_server");  // before the resolver: it takes "-1" for a service name
  TLSOptions tls = server_tls_options(options);
  std::string service = std::to_string(port);
  // Every host's addresses, in order, each once: asyncio binds an address
  // that two hosts share (or one host twice) only once.
  std::vector<SocketAddress> addresses;
  for (const std::string& host : hosts) {
    auto lookup = getaddrinfo(host, service, options.family, SOCK_STREAM, 0, options.flags);
    auto infos = co_await lookup;
    if (infos.empty()) throw OSError(0, "getaddrinfo('" + host + "') returned empty list");
    for (auto& info : infos)
      if (std::find(addresses.begin(), addresses.end(), info.address) == addresses.end())
        addresses.push_back(info.address);
  }
  auto server = std::make_shared<Server>(loop, std::move(factory), options.backlog);
  if (options.ssl) server->set_tls(*options.ssl, tls);
  server->set_keep_alive(options.keep_alive);
  for (auto& address : addresses) {
    int fd = listen_socket(address, options);  // a failure closes those made so far (~Server)
    server->add_listener(fd);
  }
  if (server->sockets().empty()) {
    std::string names;
    for (auto& h : hosts) names += (names.empty() ? "'" : ", '") + h + "'";
    throw OSError(0, "create_server: no address to listen on for " + (names.empty() ? "no hosts" : names));
  }
  if (options.start_serving) server->start_serving();
  co_return server;
}

namespace {
// cleanup_socket: remember which file the unix socket `fd` is bound to (by
// device and inode, which a file made later on the same path does not
// share), for Server::close() to remove it. Not an abstract socket's name.
void watch_unix_socket_file(Server& server, int fd) {
  sockaddr_un sun{};
  socklen_t len = sizeof sun;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&sun), &len) < 0) return;
  if (len <= offsetof(sockaddr_un, sun_path) || sun.sun_path[0] == '\0') return;
  std::string path(sun.sun_path, strnlen(sun.sun_path, len - offsetof(sockaddr_un, sun_path)));
  struct stat st;
  if (::stat(path.c_str(), &st) == 0)
    server.set_unix_cleanup(path, static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino));
}

// create_server and create_unix_server on a socket the caller made (sock=);
// `family` 0 takes any stream socket.
std::shared_ptr<Server> serve_given_socket(EventLoop& loop, ProtocolFactory factory, const ServerOptions& options,
                                           int family, const char* what) {
  TLSOptions tls = server_tls_options(options);
  int fd = *options.sock;
  check_given_socket(fd, SOCK_STREAM, what, family);
  // asyncio's Server listens when it starts serving; listening at once makes
  // a socket that cannot listen (a connected one, say) fail here, in the call.
  if (::listen(fd, static_cast<int>(options.backlog)) < 0)
    throw_os_error(errno, "listen on sock=" + std::to_string(fd));
  forget_fd(loop, fd);
  net::detail::set_nonblocking(fd);
  auto server = std::make_shared<Server>(loop, std::move(factory), options.backlog);
  if (options.ssl) server->set_tls(*options.ssl, tls);
  server->set_keep_alive(options.keep_alive);
  if (family == AF_UNIX && options.cleanup_socket) watch_unix_socket_file(*server, fd);
  server->add_listener(fd);
  if (options.start_serving) server->start_serving();
  return server;
}
}  // namespace

Task<std::shared_ptr<Server>> create_server(ProtocolFactory factory, ServerOptions options) {
  EventLoop& loop = get_running_loop();
  net::detail::net_state(loop);
  if (!options.sock) throw ValueError("Neither host/port nor sock were specified");
  co_return serve_given_socket(loop, std::move(factory), options, 0, "A Stream Socket");
}

Task<std::shared_ptr<Server>> create_unix_server(ProtocolFactory factory, ServerOptions options) {
  EventLoop& loop = get_running_loop();
  net::detail::net_state(loop);
  if (!options.sock) throw ValueError("path was not specified, and no sock specified");
  co_return serve_given_socket(loop, std::move(factory), options, AF_UNIX, "A UNIX Domain Stream Socket");
}

Task<std::shared_ptr<Server>> create_unix_server(ProtocolFactory factory, std::string path, ServerOptions options) {
  EventLoop& loop = get_running_loop();
  net::detail::net_state(loop);
  if (options.sock) throw ValueError("path and sock can not be specified at the same time");
  TLSOptions tls = server_tls_options(options);
  // asyncio removes a stale socket file left by an earlier server.
  struct stat st;
  if (!path.empty() && path[0] != '\0' && ::stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode))
    ::unlink(path.c_str());
  auto server = std::make_shared<Server>(loop, std::move(factory), options.backlog);
  if (options.ssl) server->set_tls(*options.ssl, tls);
  int fd = listen_socket(unix_address(path), options);
  server->add_listener(fd);
  if (options.cleanup_socket) watch_unix_socket_file(*server, fd);
  if (options.start_serving) server->start_serving();
  co_return server;
}

// ---- create_connection ------------------------------------------------------------

namespace {
using ConnResult = std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>;

// Connect a fresh transport's socket to `addr`; raises OSError.
Task<void> connect_transport(StreamTransportImpl& t, SocketAddress addr) {
  net::detail::Sockaddr sa = net::detail::to_sockaddr(addr);
  int r;
  do r = ::connect(t.fd(), sa.get(), sa.len);
  while (r < 0 && errno == EINTR);
  if (r == 0) co_return;
  int err = errno;
  if (err != EINPROGRESS && err != EAGAIN)
    throw_os_error(err, "Connect call failed " + addr.to_string(), "is a server listening there?");
  t.register_fd();
  for (;;) {
    if (!t.writable) co_await net::detail::IoWait{&t.write_lot, "connect"};
    t.writable = false;
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (::getsockopt(t.fd(), SOL_SOCKET, SO_ERROR, &soerr, &len) < 0) throw_os_error(errno, "getsockopt(SO_ERROR)");
    if (soerr == 0) {
      t.writable = true;
      co_return;
    }
    if (soerr == EINPROGRESS) continue;
    throw_os_error(soerr, "Connect call failed " + addr.to_string(), "is a server listening there?");
  }
}

ConnResult start_transport(std::shared_ptr<StreamTransportImpl> t, const ProtocolFactory& factory) {
  std::shared_ptr<Protocol> protocol = factory();
  if (!protocol) throw TypeError("the protocol factory returned null: it must return a std::shared_ptr<Protocol>");
  t->start(protocol, t, nullptr, /*call_soon=*/false);
  return ConnResult(std::static_pointer_cast<Transport>(t), protocol);
}

// The TLS handshake over a connected transport (the client's, or the
// server's for connect_accepted_socket: `tls.server_side`): returns once it
// is done, with the TLS transport for the user.
Task<ConnResult> start_with_tls(std::shared_ptr<StreamTransportImpl> t, const ProtocolFactory& factory,
                                SSLContext context, TLSOptions tls) {
  std::shared_ptr<Protocol> protocol = factory();
  if (!protocol) throw TypeError("the protocol factory returned null: it must return a std::shared_ptr<Protocol>");
  auto layer = std::make_shared<SSLProtocolImpl>(t->get_loop(), std::move(context), protocol, std::move(tls));
  t->start(layer, t, nullptr, /*call_soon=*/false);  // connection_made: the ClientHello goes out
  auto handshake = layer->wait_handshake();
  co_await handshake;
  co_return ConnResult(std::static_pointer_cast<Transport>(layer), protocol);
}

using Connected = std::shared_ptr<StreamTransportImpl>;

const char* family_name(int family) {
  switch (family) {
    case AF_INET: return "AF_INET";
    case AF_INET6: return "AF_INET6";
    case AF_UNIX: return "AF_UNIX";
    default: return "AF_UNSPEC";
  }
}

// One attempt (asyncio's _connect_sock): a socket connected to `addr`, with
// no protocol yet, so that a race can drop the losers. Raises OSError.
Task<Connected> connect_one(NetState& net, SocketAddress addr, std::optional<SocketAddress> local, bool nodelay) {
  if (local && local->family != addr.family)
    throw OSError(0, std::string("no matching local address with family=") + family_name(addr.family) + " found");
  int fd = make_socket(addr.family, SOCK_STREAM);
  auto t = std::make_shared<StreamTransportImpl>(net, fd, StreamTransportImpl::socket);  // closes fd if we raise
  if (local) bind_socket(fd, *local);
  auto connecting = connect_transport(*t, addr);
  co_await connecting;
  if (nodelay && addr.family != AF_UNIX) set_nodelay(fd);
  // The peer is the address we connected to: no getpeername() needed.
  net::detail::Sockaddr peer = net::detail::to_sockaddr(addr);
  t->set_peername(peer.get(), peer.len);
  co_return t;
}

// The addresses one after the other, each once the one before has failed.
// Null when all failed; `errors` gets each failure.
Task<Connected> connect_in_turn(NetState& net, const std::vector<SocketAddress>& addrs,
                                std::optional<SocketAddress> local, bool nodelay,
                                std::vector<std::exception_ptr>& errors) {
  for (auto& addr : addrs) {
    try {
      auto attempt = connect_one(net, addr, local, nodelay);
      co_return co_await attempt;
    } catch (const OSError&) {
      errors.push_back(std::current_exception());
    }
  }
  co_return nullptr;
}

// Happy Eyeballs (asyncio's staggered_race): each attempt is a task; the next
// starts `delay` seconds after the last one started, or as soon as that one
// fails. The first connection wins; the other attempts are cancelled and
// waited for (their sockets are closed by then), on success, on failure and
// when this task is cancelled alike. Null when all failed.
Task<Connected> connect_staggered(NetState& net, const std::vector<SocketAddress>& addrs,
                                  std::optional<SocketAddress> local, bool nodelay, double delay,
                                  std::vector<std::exception_ptr>& errors) {
  EventLoop& loop = net.loop;
  std::vector<Task<Connected>> attempts;  // in start order
  std::vector<bool> seen;                 // attempts[i]'s outcome was taken
  Connected winner;
  std::exception_ptr interrupted;  // what ended our own wait (a CancelledError)

  // Takes the outcome of the attempts that finished; true once one connected.
  auto harvest = [&] {
    for (std::size_t i = 0; i < attempts.size(); ++i) {
      Task<Connected>& a = attempts[i];
      if (seen[i] || !a.done() || a.cancelled()) continue;
      seen[i] = true;
      if (std::exception_ptr e = a.exception())
        errors.push_back(e);
      else if (!winner)
        winner = a.result();
      // A second connection made in the same iteration is dropped: closed.
    }
    return winner != nullptr;
  };

  try {
    std::size_t next = 0;
    while (!winner) {
      if (next == addrs.size()) {
        // All started: wait for the first to connect or for all to fail.
        std::vector<Task<Connected>> pending;
        for (auto& a : attempts)
          if (!a.done()) pending.push_back(a);
        if (pending.empty()) break;
        auto waiting = aio::wait(std::move(pending), WaitOptions{.return_when = FIRST_COMPLETED});
        (void)co_await waiting;
        harvest();
        continue;
      }
      auto attempt = connect_one(net, addrs[next++], local, nodelay);
      attempts.push_back(loop.create_task(std::move(attempt)));
      seen.push_back(false);
      Task<Connected> latest = attempts.back();
      double deadline = loop.time() + delay;
      // Until something connects, the latest attempt fails, or the delay is up.
      while (!harvest() && !latest.done()) {
        double left = deadline - loop.time();
        if (left <= 0) break;
        std::vector<Task<Connected>> pending;
        for (auto& a : attempts)
          if (!a.done()) pending.push_back(a);
        auto waiting = aio::wait(std::move(pending), WaitOptions{.timeout = left, .return_when = FIRST_COMPLETED});
        (void)co_await waiting;
      }
      harvest();
    }
  } catch (...) {
    interrupted = std::current_exception();
  }
  // The losers: cancelled, and awaited so that no socket outlives the call.
  std::vector<Task<Connected>> pending;
  for (auto& a : attempts)
    if (!a.done()) {
      a.cancel();
      pending.push_back(a);
    }
  if (!pending.empty()) {
    auto waiting = aio::wait(std::move(pending));
    (void)co_await waiting;
  }
  if (interrupted) std::rethrow_exception(interrupted);
  harvest();  // failures that came in while the losers were cancelled
  co_return winner;
}

// Checked at the call, before any lookup.
void check_race_options(const ConnectionOptions& options) {
  if (options.happy_eyeballs_delay && !(*options.happy_eyeballs_delay >= 0))
    throw ValueError("happy_eyeballs_delay must be a number of seconds >= 0 (0.25 is RFC 8305's advice)");
  if (options.interleave && *options.interleave < 0)
    throw ValueError("interleave must be >= 0: how many addresses of the first family to try first");
}

// What create_connection raises when every attempt failed (asyncio's rules).
[[noreturn]] void raise_connect_errors(std::vector<std::exception_ptr>& errors, bool all_errors) {
  if (all_errors) throw ExceptionGroup("create_connection failed", std::move(errors));
  if (errors.size() == 1) std::rethrow_exception(errors[0]);
  std::string first = exception_message(errors.at(0));
  bool same = true;
  for (auto& e : errors) same = same && exception_message(e) == first;
  if (same) std::rethrow_exception(errors[0]);
  std::string msg = "Multiple exceptions: ";
  for (std::size_t i = 0; i < errors.size(); ++i) msg += (i ? ", " : "") + exception_message(errors[i]);
  throw OSError(0, msg);
}

// Wrap a connected stream socket the caller owned (sock=, connect_accepted_socket);
// `family` 0 takes any stream socket.
std::shared_ptr<StreamTransportImpl> adopt_connected_socket(NetState& net, int fd, bool nodelay, int family = 0,
                                                            const char* what = "A Stream Socket") {
  check_given_socket(fd, SOCK_STREAM, what, family);
  forget_fd(net.loop, fd);  // in case sock_* used it before
  net::detail::set_nonblocking(fd);
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (nodelay && ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0 && ss.ss_family != AF_UNIX)
    set_nodelay(fd);
  return std::make_shared<StreamTransportImpl>(net, fd, StreamTransportImpl::socket);
}
}  // namespace

namespace net::detail {

// The first-family-count reorder of asyncio's _interleave_addrinfos: group
// the addresses by family (in order of first appearance), take `first - 1`
// of the first family, then one of each family in turn.
std::vector<SocketAddress> interleave_addresses(const std::vector<SocketAddress>& addrs, int first) {
  std::vector<std::vector<SocketAddress>> by_family;
  for (auto& a : addrs) {
    auto it = std::find_if(by_family.begin(), by_family.end(),
                           [&](const std::vector<SocketAddress>& g) { return g.front().family == a.family; });
    if (it == by_family.end())
      by_family.push_back({a});
    else
      it->push_back(a);
  }
  std::vector<SocketAddress> out;
  std::vector<std::size_t> taken(by_family.size(), 0);
  if (first > 1 && !by_family.empty()) {
    std::size_t n = std::min<std::size_t>(std::size_t(first - 1), by_family[0].size());
    out.insert(out.end(), by_family[0].begin(), by_family[0].begin() + std::ptrdiff_t(n));
    taken[0] = n;
  }
  for (bool more = true; more;) {
    more = false;
    for (std::size_t f = 0; f < by_family.size(); ++f)
      if (taken[f] < by_family[f].size()) {
        out.push_back(by_family[f][taken[f]++]);
        more = true;
      }
  }
  return out;
}

Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> connect_addresses(
    ProtocolFactory factory, std::vector<SocketAddress> addrs, ConnectionOptions options, TLSOptions tls) {
  NetState& net = net_state(get_running_loop());
  check_race_options(options);
  int interleave = options.interleave.value_or(options.happy_eyeballs_delay ? 1 : 0);
  if (interleave) addrs = interleave_addresses(addrs, interleave);
  std::vector<std::exception_ptr> errors;
  Connected t;
  if (options.happy_eyeballs_delay && addrs.size() > 1) {
    auto racing = connect_staggered(net, addrs, options.local_addr, options.nodelay, *options.happy_eyeballs_delay,
                                    errors);
    t = co_await racing;
  } else {
    auto connecting = connect_in_turn(net, addrs, options.local_addr, options.nodelay, errors);
    t = co_await connecting;
  }
  if (!t) raise_connect_errors(errors, options.all_errors);
  if (options.ssl) {
    auto handshake = start_with_tls(t, factory, *options.ssl, std::move(tls));
    co_return co_await handshake;
  }
  co_return start_transport(t, factory);
}

}  // namespace net::detail

Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> create_connection(ProtocolFactory factory,
                                                                                        std::string host, int port,
                                                                                        ConnectionOptions options) {
  EventLoop& loop = get_running_loop();
  net::detail::net_state(loop);  // RuntimeError now on a loop without I/O, not after the lookup
  if (options.sock) throw ValueError("host/port and sock can not be specified at the same time");
  net::detail::check_port(port, "create_connection");
  check_race_options(options);
  TLSOptions tls = client_tls_options(options, host);
  std::string service = std::to_string(port);
  auto lookup = getaddrinfo(host, service, options.family, SOCK_STREAM, options.proto, options.flags);
  auto infos = co_await lookup;
  std::vector<SocketAddress> addrs;
  for (auto& i : infos) addrs.push_back(i.address);
  if (addrs.empty()) throw OSError(0, "getaddrinfo() returned empty list for '" + host + "'");
  auto connecting = net::detail::connect_addresses(std::move(factory), std::move(addrs), std::move(options), tls);
  co_return co_await connecting;
}

namespace {
// create_connection and create_unix_connection over a socket the caller
// connected (sock=); `family` 0 takes any stream socket.
Task<ConnResult> connect_given_socket(ProtocolFactory factory, ConnectionOptions options, int family,
                                      const char* what) {
  NetState& net = net::detail::net_state(get_running_loop());
  if (options.local_addr || options.happy_eyeballs_delay || options.interleave || options.family || options.proto ||
      options.flags)
    throw ValueError("local_addr, family, proto, flags, happy_eyeballs_delay and interleave are for host and port: "
                     "sock is connected already");
  TLSOptions tls = client_tls_options(options, "");  // over a given socket, ssl needs server_hostname
  auto t = adopt_connected_socket(net, *options.sock, options.nodelay, family, what);
  if (options.ssl) {
    auto handshake = start_with_tls(t, factory, *options.ssl, std::move(tls));
    co_return co_await handshake;
  }
  co_return start_transport(t, factory);
}
}  // namespace

Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> create_connection(ProtocolFactory factory,
                                                                                         ConnectionOptions options) {
  if (!options.sock) throw ValueError("host and port was not specified and no sock specified");
  auto connecting = connect_given_socket(std::move(factory), std::move(options), 0, "A Stream Socket");
  co_return co_await connecting;
}

Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> create_unix_connection(
    ProtocolFactory factory, ConnectionOptions options) {
  if (!options.sock) throw ValueError("no path and sock were specified");
  auto connecting =
      connect_given_socket(std::move(factory), std::move(options), AF_UNIX, "A UNIX Domain Stream Socket");
  co_return co_await connecting;
}

Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> create_unix_connection(
    ProtocolFactory factory, std::string path, ConnectionOptions options) {
  net::detail::net_state(get_running_loop());
  if (options.sock) throw ValueError("path and sock can not be specified at the same time");
  TLSOptions tls = client_tls_options(options, "");
  std::vector<SocketAddress> addrs;
  addrs.push_back(unix_address(path));
  auto connecting = net::detail::connect_addresses(std::move(factory), std::move(addrs), std::move(options), tls);
  co_return co_await connecting;
}

Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> connect_accepted_socket(ProtocolFactory factory,
                                                                                              int fd) {
  NetState& net = net::detail::net_state(get_running_loop());
  co_return start_transport(adopt_connected_socket(net, fd, true), factory);
}

Task<std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>>> connect_accepted_socket(
    ProtocolFactory factory, int fd, AcceptedSocketOptions options) {
  NetState& net = net::detail::net_state(get_running_loop());
  // The server side's checks and TLS options, as a Server's accept uses.
  ServerOptions as_server;
  as_server.ssl = options.ssl;
  as_server.ssl_handshake_timeout = options.ssl_handshake_timeout;
  as_server.ssl_shutdown_timeout = options.ssl_shutdown_timeout;
  TLSOptions tls = server_tls_options(as_server, "connect_accepted_socket");
  auto t = adopt_connected_socket(net, fd, true);
  if (!options.ssl) co_return start_transport(t, factory);
  // Unlike a Server's accept, asyncio's connect_accepted_socket returns once
  // the handshake is done (or raises what it failed with).
  auto handshake = start_with_tls(t, factory, std::move(*options.ssl), std::move(tls));
  co_return co_await handshake;
}

// ---- sendfile -------------------------------------------------------------------

namespace {

// asyncio's _SendfileFallbackProtocol: while sendfile() writes a file through
// a transport that cannot hand it to the kernel (TLS encrypts it first), it
// stands in for the transport's protocol so that it hears pause_writing()
// and resume_writing(), and the copy never gets ahead of the peer. Reading is
// paused meanwhile. Data or EOF that arrives anyway goes on to the real
// protocol (asyncio raises there instead, and the connection is lost).
class SendfileFallbackProtocol final : public Protocol {
 public:
  SendfileFallbackProtocol(Transport& t, bool writing_paused)
      : t_(t), proto_(t.get_protocol()), resume_reading_(t.is_reading()), was_paused_(writing_paused),
        paused_(writing_paused) {}

  void install(const std::shared_ptr<SendfileFallbackProtocol>& self) {
    t_.pause_reading();
    t_.set_protocol(self);
  }
  /// Returns once the transport may be written to again; ConnectionError if
  /// it is closing or lost.
  Task<void> drain() {
    while (paused_ && !lost_) {
      resumed_.clear();
      co_await resumed_.wait();
    }
    if (lost_ || t_.is_closing()) throw ConnectionError(ECONNRESET, "Connection closed by peer (during sendfile)");
  }
  /// Gives the transport back to its protocol, as it was.
  void restore() {
    if (t_.get_protocol().get() == this) t_.set_protocol(proto_);
    if (resume_reading_ && !lost_ && !t_.is_closing()) t_.resume_reading();
    if (was_paused_ && !paused_ && !lost_ && proto_) proto_->resume_writing();
  }

  void pause_writing() override { paused_ = true; }
  void resume_writing() override {
    paused_ = false;
    resumed_.set();
  }
  void data_received(std::string_view data) override {
    if (proto_) proto_->data_received(data);
  }
  bool eof_received() override { return proto_ ? proto_->eof_received() : false; }
  void connection_lost(std::exception_ptr exc) override {
    lost_ = true;
    resumed_.set();
    if (proto_) proto_->connection_lost(exc);
  }

 private:
  Transport& t_;
  std::shared_ptr<Protocol> proto_;
  bool resume_reading_;
  bool was_paused_;
  bool paused_;
  bool lost_ = false;
  Event resumed_;
};

// The file's size when count is 0 (to the end), else offset + count.
std::size_t sendfile_end(int file_fd, std::size_t offset, std::size_t count) {
  if (count != 0) return offset + count;
  struct stat st;
  if (::fstat(file_fd, &st) < 0) throw_os_error(errno, "fstat");
  return static_cast<std::size_t>(st.st_size);
}

// asyncio leaves the file's position at offset + the bytes sent when
// sendfile returns or raises ("file.tell() can be used to obtain the actual
// number of bytes sent"): after an error it is the only way to learn how much
// went out. The copy loops below count into `sent`, which is also what the
// call returns; this moves the position when the call ends, however it ends.
struct FilePositionAfterSend {
  int file_fd;
  std::size_t offset;
  std::size_t sent = 0;
  FilePositionAfterSend(int fd, std::size_t off) : file_fd(fd), offset(off) {}
  FilePositionAfterSend(const FilePositionAfterSend&) = delete;
  FilePositionAfterSend& operator=(const FilePositionAfterSend&) = delete;
  // Not seekable (a pipe): there is no position to move, as for Python's seek().
  ~FilePositionAfterSend() {
    if (sent > 0) (void)::lseek(file_fd, static_cast<off_t>(offset + sent), SEEK_SET);
  }
};

// sendfile()'s and sock_sendfile()'s fallback: read the file from `pos` to
// `end` and give it to `write` a chunk at a time, each once `ready()` (an
// awaitable) says the transport may take more. `write` may return a
// Task<void> (sock_sendall), awaited before the buffer is read into again.
// Adds the bytes written to `sent` as they go.
template <class Ready, class Write>
Task<void> copy_file(int file_fd, std::size_t pos, std::size_t end, Ready ready, Write write, std::size_t& sent) {
  std::string buf(64 * 1024, '\0');
  while (pos < end) {
    std::size_t want = std::min(buf.size(), end - pos);
    ssize_t n = ::pread(file_fd, buf.data(), want, static_cast<off_t>(pos));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_os_error(errno, "pread");
    }
    if (n == 0) break;
    auto waiting = ready();
    co_await waiting;
    std::string_view chunk(buf.data(), static_cast<std::size_t>(n));
    if constexpr (std::is_void_v<decltype(write(chunk))>) {
      write(chunk);
    } else {
      auto writing = write(chunk);
      co_await writing;
    }
    pos += static_cast<std::size_t>(n);
    sent += static_cast<std::size_t>(n);
  }
}

// The kernel's sendfile(2) from `file_fd`, `offset` to `end`, into the socket
// `socket()` returns (it raises instead when the connection is gone);
// `wait_writable()` gives an awaitable for when the socket's buffer is full.
// Adds the bytes sent to `sent` (0 on entry: the kernel is always tried
// first) as they go. Returns false when the kernel will not send this file
// and nothing was sent (the caller falls back); an error after some bytes
// went out is raised (asyncio does the same).
template <class Socket, class WaitWritable>
Task<bool> kernel_sendfile(Socket socket, int file_fd, std::size_t offset, std::size_t end,
                           WaitWritable wait_writable, std::size_t& sent) {
  if (net::detail::testing_disable_native_sendfile) co_return false;
  off_t off = static_cast<off_t>(offset);
  while (static_cast<std::size_t>(off) < end) {
    int fd = socket();
    std::size_t chunk = std::min<std::size_t>(end - static_cast<std::size_t>(off), std::size_t(1) << 30);
    ssize_t n = ::sendfile(fd, file_fd, &off, chunk);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n == 0) break;  // end of file
    int err = errno;
    if (err == EINTR) continue;
    if (would_block(err)) {
      auto waiting = wait_writable();
      co_await waiting;
      continue;
    }
    // Not a file the kernel can send (EINVAL: no mmap-like reads, as a
    // /proc file; ESPIPE: a pipe): nothing went out, so the fallback can
    // start from `offset`.
    if ((err == EINVAL || err == ENOSYS || err == EOVERFLOW || err == ESPIPE) && sent == 0) co_return false;
    throw_os_error(err, "sendfile");
  }
  co_return true;
}

// A socket or pipe transport's side of the fallback: wait while its buffer
// is over the high-water mark, then, if `lost_is_error`, raise
// ConnectionResetError if the connection was lost.
Task<void> buffer_under_high_water(StreamTransportImpl* t, bool lost_is_error) {
  while (t->get_write_buffer_size() > t->get_write_buffer_limits().first && !t->lost())
    co_await net::detail::IoWait{&t->write_lot, "sendfile"};
  if (lost_is_error && t->lost()) throw ConnectionResetError(ECONNRESET, "Connection lost (during sendfile)");
}

// sendfile() over TLS: read the file and write it, under the transport's
// flow control.
Task<void> sendfile_through(net::detail::SSLProtocolImpl& t, int file_fd, std::size_t offset, std::size_t end,
                            std::size_t& sent) {
  if (t.is_closing()) throw RuntimeError("Transport is closing");
  auto proto = std::make_shared<SendfileFallbackProtocol>(t, t.app_writing_paused());
  proto->install(proto);
  struct Restore {
    std::shared_ptr<SendfileFallbackProtocol> proto;
    ~Restore() { proto->restore(); }
  } restore{proto};
  auto ready = [proto] { return proto->drain(); };
  auto write = [&t](std::string_view chunk) { t.write(chunk); };
  auto copying = copy_file(file_fd, offset, end, ready, write, sent);
  co_await copying;
  // Returns once the peer has taken enough that writing may go on: the user's
  // protocol gets back a transport that is not paused behind its back.
  auto flushed = proto->drain();
  co_await flushed;
}

}  // namespace

Task<std::size_t> sendfile(Transport& transport, int file_fd, std::size_t offset, std::size_t count, bool fallback) {
  auto* t = dynamic_cast<StreamTransportImpl*>(&transport);
  if (auto* tls = dynamic_cast<net::detail::SSLProtocolImpl*>(&transport)) {
    // asyncio: an SSL transport can only fall back (_SendfileMode.FALLBACK).
    if (!fallback)
      throw SendfileNotAvailableError("sendfile over TLS needs the fallback (pass fallback=true): TLS must encrypt "
                                      "the file, so the kernel cannot send it");
    std::size_t end = sendfile_end(file_fd, offset, count);
    FilePositionAfterSend position(file_fd, offset);
    auto copying = sendfile_through(*tls, file_fd, offset, end, position.sent);
    co_await copying;
    co_return position.sent;
  }
  if (!t || t->kind() == StreamTransportImpl::read_pipe)
    throw TypeError("sendfile() needs a stream transport that can write");
  if (t->is_closing()) throw RuntimeError("Transport is closing");
  // Send what is buffered first, so the file's bytes come after it.
  while (t->get_write_buffer_size() > 0 && !t->lost()) co_await net::detail::IoWait{&t->write_lot, "sendfile"};
  if (t->lost()) throw ConnectionResetError(ECONNRESET, "Connection lost (during sendfile)");
  std::size_t end = sendfile_end(file_fd, offset, count);
  FilePositionAfterSend position(file_fd, offset);
  if (t->kind() == StreamTransportImpl::socket) {
    t->sendfile_in_progress = true;
    struct Reset {
      StreamTransportImpl* t;
      ~Reset() { t->sendfile_in_progress = false; }
    } reset{t};
    auto socket = [t] {
      if (t->lost() || t->fd() < 0) throw ConnectionResetError(ECONNRESET, "Connection lost (during sendfile)");
      return t->fd();
    };
    auto wait_writable = [t] {
      t->writable = false;
      return net::detail::IoWait{&t->write_lot, "sendfile"};
    };
    auto sending = kernel_sendfile(socket, file_fd, offset, end, wait_writable, position.sent);
    if (co_await sending) co_return position.sent;
  }
  if (!fallback)
    throw SendfileNotAvailableError("sendfile is not available for this transport or file (pass fallback=true)");
  // Fallback: read the file and write it, keeping under the high-water mark.
  auto ready = [t] { return buffer_under_high_water(t, /*lost_is_error=*/true); };
  auto write = [t](std::string_view chunk) { t->write(chunk); };
  auto copying = copy_file(file_fd, offset, end, ready, write, position.sent);
  co_await copying;
  // Return with the buffer back under the high-water mark, as the TLS
  // fallback does (a loss after the last chunk is the next write's news).
  auto flushed = buffer_under_high_water(t, /*lost_is_error=*/false);
  co_await flushed;
  co_return position.sent;
}

// ---- sock_sendfile ----------------------------------------------------------------

Task<std::size_t> sock_sendfile(int sock, int file_fd, std::int64_t offset, std::int64_t count, bool fallback) {
  EventLoop& loop = get_running_loop();
  NetState& net = net::detail::net_state(loop);
  net.check_no_transport(sock);
  // asyncio's _check_sendfile_params, in its order.
  int type = 0;
  socklen_t len = sizeof type;
  if (::getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
    if (errno != ENOTSOCK) throw_os_error(errno, "sock_sendfile(fd " + std::to_string(sock) + ")");
    throw ValueError("only SOCK_STREAM type sockets are supported (fd " + std::to_string(sock) + " is not a socket)");
  }
  if (type != SOCK_STREAM) throw ValueError("only SOCK_STREAM type sockets are supported");
  if (count < 0)
    throw ValueError("count must be a positive integer (got " + std::to_string(count) + "); 0 sends to the end");
  if (offset < 0) throw ValueError("offset must be a non-negative integer (got " + std::to_string(offset) + ")");
  std::size_t end = sendfile_end(file_fd, static_cast<std::size_t>(offset), static_cast<std::size_t>(count));
  // sendfile(2) has no MSG_DONTWAIT: on a blocking socket it would block the loop.
  net::detail::set_nonblocking(sock);
  // The sock_* registration, looked up at every wait: close_socket() may
  // have dropped the entry while we waited.
  auto socket = [sock] { return sock; };
  auto wait_writable = [&net, sock] {
    net::detail::FdEntry& e = net.entry(sock);
    e.ensure_registered();
    return net::detail::IoWait{&e.write_lot, "sock_sendfile"};
  };
  FilePositionAfterSend position(file_fd, static_cast<std::size_t>(offset));
  auto sending = kernel_sendfile(socket, file_fd, static_cast<std::size_t>(offset), end, wait_writable, position.sent);
  if (co_await sending) co_return position.sent;
  if (!fallback)
    throw SendfileNotAvailableError("os.sendfile call failed: the kernel cannot send fd " + std::to_string(file_fd) +
                                    " (pass fallback=true to read it and send it)");
  auto ready = [] { return std::suspend_never{}; };
  auto write = [sock](std::string_view chunk) { return sock_sendall(sock, chunk); };
  auto copying = copy_file(file_fd, static_cast<std::size_t>(offset), end, ready, write, position.sent);
  co_await copying;
  co_return position.sent;
}

}  // namespace aio
