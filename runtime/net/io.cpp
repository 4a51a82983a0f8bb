// Readiness I/O: the per-loop NetState, fd entries (sock_* and add_reader),
// errors, addresses and name resolution.
#include "aio/net/io.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <system_error>

#include "aio/executor.hpp"
#include "internal.hpp"

namespace aio {

// ---- errors ---------------------------------------------------------------------

IncompleteReadError::IncompleteReadError(std::string partial_, std::optional<std::size_t> expected_)
    : EOFError(std::to_string(partial_.size()) + " bytes read on a total of " +
               (expected_ ? std::to_string(*expected_) : std::string("undefined")) + " expected bytes"),
      partial(std::move(partial_)),
      expected(expected_) {}

namespace net::detail {

std::exception_ptr make_os_error(int err, const std::string& what, const std::string& hint) {
  std::string msg = "[Errno " + std::to_string(err) + "] " + what + ": " + std::strerror(err);
  if (!hint.empty()) msg += " (" + hint + ")";
  switch (err) {
    case EPIPE:
    case ESHUTDOWN:
      return std::make_exception_ptr(BrokenPipeError(err, msg));
    case ECONNABORTED:
      return std::make_exception_ptr(ConnectionAbortedError(err, msg));
    case ECONNREFUSED:
      return std::make_exception_ptr(ConnectionRefusedError(err, msg));
    case ECONNRESET:
      return std::make_exception_ptr(ConnectionResetError(err, msg));
    case ENOENT:
      return std::make_exception_ptr(FileNotFoundError(err, msg));
    case EACCES:
    case EPERM:
      return std::make_exception_ptr(PermissionError(err, msg));
    case ESRCH:
      return std::make_exception_ptr(ProcessLookupError(err, msg));
    case ETIMEDOUT:
      return std::make_exception_ptr(TimeoutError(err, msg));
    default:
      return std::make_exception_ptr(OSError(err, msg));
  }
}

void throw_os_error(int err, const std::string& what, const std::string& hint) {
  std::rethrow_exception(make_os_error(err, what, hint));
}

// ---- addresses ------------------------------------------------------------------

void check_port(int port, const char* func) {
  if (port < 0 || port > 65535)
    throw OverflowError(std::string(func) + "(): port must be 0-65535. (got " + std::to_string(port) + ")");
}

Sockaddr to_sockaddr(const SocketAddress& a) {
  Sockaddr s;
  if (a.family == AF_UNIX) {
    auto* un = reinterpret_cast<sockaddr_un*>(&s.ss);
    un->sun_family = AF_UNIX;
    if (a.path.size() >= sizeof un->sun_path)
      throw ValueError("unix socket path too long (" + std::to_string(a.path.size()) + " bytes, at most " +
                       std::to_string(sizeof un->sun_path - 1) + "): use a shorter path");
    std::memcpy(un->sun_path, a.path.data(), a.path.size());
    // A path ends with its NUL; an abstract name ("\0name", Linux) is its
    // bytes exactly, since a trailing NUL would be part of the name (and
    // nobody else, Python included, could connect to it).
    const bool abstract = !a.path.empty() && a.path[0] == '\0';
    s.len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + a.path.size() + (abstract ? 0 : 1));
    return s;
  }
  check_port(a.port, "sockaddr");
  std::string host = a.host.empty() ? (a.family == AF_INET6 ? "::" : "0.0.0.0") : a.host;
  auto* in4 = reinterpret_cast<sockaddr_in*>(&s.ss);
  if (a.family != AF_INET6 && ::inet_pton(AF_INET, host.c_str(), &in4->sin_addr) == 1) {
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<std::uint16_t>(a.port));
    s.len = sizeof(sockaddr_in);
    return s;
  }
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&s.ss);
  if (::inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<std::uint16_t>(a.port));
    s.len = sizeof(sockaddr_in6);
    return s;
  }
  throw ValueError("'" + a.host + "' is not a numeric IP address: resolve host names with aio::getaddrinfo() first");
}

SocketAddress from_sockaddr(const sockaddr* sa, socklen_t len) {
  SocketAddress a;
  if (!sa || len == 0) return a;
  char buf[INET6_ADDRSTRLEN] = {};
  switch (sa->sa_family) {
    case AF_INET: {
      auto* in4 = reinterpret_cast<const sockaddr_in*>(sa);
      ::inet_ntop(AF_INET, &in4->sin_addr, buf, sizeof buf);
      a.family = AF_INET;
      a.host = buf;
      a.port = ntohs(in4->sin_port);
      break;
    }
    case AF_INET6: {
      auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
      ::inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
      a.family = AF_INET6;
      a.host = buf;
      a.port = ntohs(in6->sin6_port);
      break;
    }
    case AF_UNIX: {
      auto* un = reinterpret_cast<const sockaddr_un*>(sa);
      a.family = AF_UNIX;
      if (len > offsetof(sockaddr_un, sun_path)) {
        const std::size_t n = len - offsetof(sockaddr_un, sun_path);
        if (un->sun_path[0] == '\0')
          a.path.assign(un->sun_path, n);  // abstract: every byte is the name's, NULs included
        else
          a.path.assign(un->sun_path, strnlen(un->sun_path, n));
      }
      break;
    }
    default:
      a.family = sa->sa_family;
  }
  return a;
}

static_assert(sizeof(SavedAddress) == 1 + sizeof(sockaddr_in6), "SavedAddress packs among a transport's flags");

void SavedAddress::assign(const sockaddr* sa, socklen_t len) {
  clear();
  if (!sa || len == 0) return;
  len = std::min<socklen_t>(len, sizeof(sockaddr_storage));
  if (len <= kInline) {
    std::memcpy(bytes_, sa, len);
  } else {
    auto* copy = new unsigned char[len];
    std::memcpy(copy, sa, len);
    std::memcpy(bytes_, &copy, sizeof copy);
  }
  len_ = static_cast<std::uint8_t>(len);
}

void SavedAddress::clear() noexcept {
  if (len_ > kInline) {
    unsigned char* copy;
    std::memcpy(&copy, bytes_, sizeof copy);
    delete[] copy;
  }
  len_ = 0;
}

std::any SavedAddress::get() const {
  if (len_ == 0) return {};
  sockaddr_storage ss;  // aligned, as from_sockaddr reads it
  const unsigned char* src = bytes_;
  if (len_ > kInline) std::memcpy(&src, bytes_, sizeof src);
  std::memcpy(&ss, src, len_);
  return from_sockaddr(reinterpret_cast<const sockaddr*>(&ss), len_);
}

void set_nonblocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0 && !(flags & O_NONBLOCK)) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

void ignore_sigpipe() noexcept {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    ::sigaction(SIGPIPE, nullptr, &sa);
    if (sa.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
  });
}

// ---- per-loop state -------------------------------------------------------------

NetState& net_state(EventLoop& loop) {
  Selector* sel = loop.host().selector();
  if (!sel)
    throw RuntimeError(
        "this event loop's host has no selector: sockets, pipes and signals need the native (epoll) host");
  if (!sel->extension) sel->extension = std::make_unique<NetState>(loop, *sel);
  return static_cast<NetState&>(*sel->extension);
}

NetState::~NetState() {
  closing = true;
  signals.reset();
  std::vector<LoopResource*> live(resources.begin(), resources.end());
  for (auto* r : live)
    if (resources.count(r)) r->loop_closing();
  resources.clear();
  for (auto& [fd, e] : fds)
    if (e->registered) selector.remove(fd);
  fds.clear();
}

void NetState::own_transport_fd(int fd) {
  auto i = static_cast<std::size_t>(fd);
  if (i >= transport_fds.size()) transport_fds.resize(i + 1);
  transport_fds[i] = true;
}

void NetState::close_transport_fd(int fd) noexcept {
  auto i = static_cast<std::size_t>(fd);
  if (i < transport_fds.size()) transport_fds[i] = false;
  ::close(fd);
}

void NetState::check_no_transport(int fd) const {
  auto i = static_cast<std::size_t>(fd);
  if (fd >= 0 && i < transport_fds.size() && transport_fds[i])
    throw RuntimeError("File descriptor " + std::to_string(fd) +
                       " is used by a transport: read and write it through the transport (a callback or a sock_* "
                       "call on it would take the transport's readiness events away)");
}

FdEntry& NetState::entry(int fd) {
  if (fd < 0) throw ValueError("invalid file descriptor " + std::to_string(fd));
  check_no_transport(fd);
  auto& e = fds[fd];
  if (!e) e = std::make_unique<FdEntry>(*this, fd);
  return *e;
}

FdEntry::~FdEntry() = default;

void FdEntry::ensure_registered() {
  if (registered) return;
  net.selector.add(fd, Selector::readable | Selector::writable, Selector::Mode::edge, this);
  registered = true;
  level = false;
}

void FdEntry::update_registration() {
  unsigned want = (reader_cb ? Selector::readable : 0u) | (writer_cb ? Selector::writable : 0u);
  if (want) {
    // add_reader/add_writer: level-triggered on what the callbacks want.
    if (!registered)
      net.selector.add(fd, want, Selector::Mode::level, this);
    else
      net.selector.modify(fd, want, Selector::Mode::level, this);
    registered = true;
    level = true;
    interest = want;
  } else if (registered && level) {
    // Back to the edge-triggered registration the sock_* calls use.
    net.selector.modify(fd, Selector::readable | Selector::writable, Selector::Mode::edge, this);
    level = false;
  }
}

void FdEntry::io_ready(unsigned events) noexcept {
  if (events & Selector::readable) {
    read_lot.wake();
    if (reader_cb) reader.schedule();
  }
  if (events & Selector::writable) {
    write_lot.wake();
    if (writer_cb) writer.schedule();
  }
}

}  // namespace net::detail

using net::detail::FdEntry;
using net::detail::net_state;
using net::detail::throw_os_error;

std::string SocketAddress::to_string() const {
  if (family == AF_UNIX) return "'" + path + "'";
  if (family == 0) return "None";
  return "('" + host + "', " + std::to_string(port) + ")";
}

SocketAddress inet_address(std::string host, int port) {
  SocketAddress a;
  a.family = host.find(':') != std::string::npos ? AF_INET6 : AF_INET;
  a.host = std::move(host);
  a.port = port;
  return a;
}

SocketAddress unix_address(std::string path) {
  SocketAddress a;
  a.family = AF_UNIX;
  a.path = std::move(path);
  return a;
}

// ---- add_reader / add_writer ----------------------------------------------------

namespace {
void set_callback(EventLoop& loop, int fd, std::function<void()> callback, bool reading) {
  loop.check_closed();
  if (!callback) throw TypeError("add_reader/add_writer: the callback is empty");
  auto& net = net_state(loop);
  FdEntry& e = net.entry(fd);
  auto& cb = reading ? e.reader_cb : e.writer_cb;
  auto& handle = reading ? e.reader : e.writer;
  std::function<void()> previous = std::move(cb);
  cb = std::move(callback);
  try {
    e.update_registration();
  } catch (const std::system_error& err) {
    // As asyncio's selector: a descriptor epoll refuses (EBADF: closed; EPERM:
    // a regular file) is an OSError, and nothing of the attempt stays behind.
    cb = std::move(previous);
    if (!e.registered) net.fds.erase(fd);
    throw_os_error(err.code().value(), std::string(reading ? "add_reader" : "add_writer") + "(fd " +
                                           std::to_string(fd) + ")");
  }
  // A new handle: a run of the replaced callback still queued is cancelled
  // (asyncio cancels the old reader's Handle).
  FdEntry* entry = &e;
  handle.set(
      loop, [entry, reading] { (reading ? entry->reader_cb : entry->writer_cb)(); },
      reading ? "reader" : "writer");
}

bool clear_callback(EventLoop& loop, int fd, bool reading) {
  Selector* sel = loop.host().selector();
  if (!sel || !sel->extension) return false;
  auto& net = net_state(loop);
  net.check_no_transport(fd);
  auto it = net.fds.find(fd);
  if (it == net.fds.end()) return false;
  FdEntry& e = *it->second;
  auto& cb = reading ? e.reader_cb : e.writer_cb;
  if (!cb) return false;
  (reading ? e.reader : e.writer).reset();
  cb = nullptr;
  try {
    e.update_registration();
  } catch (...) {
    // The fd was closed already: nothing to watch.
  }
  return true;
}
}  // namespace

void add_reader(EventLoop& loop, int fd, std::function<void()> callback) {
  set_callback(loop, fd, std::move(callback), true);
}
void add_writer(EventLoop& loop, int fd, std::function<void()> callback) {
  set_callback(loop, fd, std::move(callback), false);
}
bool remove_reader(EventLoop& loop, int fd) { return clear_callback(loop, fd, true); }
bool remove_writer(EventLoop& loop, int fd) { return clear_callback(loop, fd, false); }

void forget_fd(EventLoop& loop, int fd) noexcept {
  Selector* sel = loop.host().selector();
  if (!sel || !sel->extension) return;
  auto& net = static_cast<net::detail::NetState&>(*sel->extension);
  auto it = net.fds.find(fd);
  if (it == net.fds.end()) return;
  if (it->second->registered) sel->remove(fd);
  net.fds.erase(it);  // parked waiters wake up and retry
}

void close_socket(EventLoop& loop, int fd) noexcept {
  forget_fd(loop, fd);
  ::close(fd);
}
void close_socket(int fd) noexcept {
  if (auto* loop = try_get_running_loop())
    close_socket(*loop, fd);
  else
    ::close(fd);
}

// ---- sock_* -------------------------------------------------------------------

namespace {
// The entry of `fd` on the running loop, registered; the fd made non-blocking.
FdEntry& ready_entry(int fd) {
  FdEntry& e = net_state(get_running_loop()).entry(fd);
  if (!e.registered) {
    net::detail::set_nonblocking(fd);
    e.ensure_registered();
  }
  return e;
}
inline bool would_block(int err) { return err == EAGAIN || err == EWOULDBLOCK; }
// Before the first syscall, as asyncio: a sock_* call on a transport's socket
// would take bytes (or readiness) from under the transport.
void check_not_transport(int fd) { net_state(get_running_loop()).check_no_transport(fd); }
}  // namespace

Task<std::size_t> sock_recv_into(int fd, std::span<char> buffer) {
  check_not_transport(fd);
  for (;;) {
    ssize_t n = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n >= 0) co_return static_cast<std::size_t>(n);
    int err = errno;
    if (err == EINTR) continue;
    if (!would_block(err)) throw_os_error(err, "recv");
    FdEntry& e = ready_entry(fd);
    co_await net::detail::IoWait{&e.read_lot, "sock_recv"};
  }
}

Task<std::string> sock_recv(int fd, std::size_t nbytes) {
  std::string data(nbytes, '\0');
  std::span<char> span(data.data(), data.size());
  auto receiving = sock_recv_into(fd, span);
  std::size_t n = co_await receiving;
  data.resize(n);
  co_return data;
}

Task<void> sock_sendall(int fd, std::string_view data) {
  check_not_transport(fd);
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    int err = errno;
    if (err == EINTR) continue;
    if (!would_block(err)) throw_os_error(err, "send");
    FdEntry& e = ready_entry(fd);
    co_await net::detail::IoWait{&e.write_lot, "sock_sendall"};
  }
}

namespace {
bool is_numeric_host(const std::string& host) { return host.empty() || net::detail::is_ip_address(host); }
}  // namespace

Task<void> sock_connect(int fd, SocketAddress address) {
  check_not_transport(fd);
  if (address.family != AF_UNIX && !is_numeric_host(address.host)) {
    // asyncio's _ensure_resolved: a host name is looked up first, for the
    // socket's own family and type, and the first address is used.
    net::detail::check_port(address.port, "sock_connect");
    int family = 0, type = 0;
    socklen_t len = sizeof family;
    ::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &len);
    len = sizeof type;
    ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
    auto lookup = getaddrinfo(address.host, std::to_string(address.port), family, type);
    auto infos = co_await lookup;
    if (infos.empty()) throw OSError(0, "getaddrinfo() returned empty list for '" + address.host + "'");
    address = infos[0].address;
  }
  net::detail::Sockaddr sa = net::detail::to_sockaddr(address);
  FdEntry& e = ready_entry(fd);  // non-blocking before connect
  int r;
  do r = ::connect(fd, sa.get(), sa.len);
  while (r < 0 && errno == EINTR);
  if (r == 0) co_return;
  int err = errno;
  if (err != EINPROGRESS && err != EAGAIN)
    throw_os_error(err, "Connect call failed " + address.to_string(), "is anything listening there?");
  for (;;) {
    co_await net::detail::IoWait{&e.write_lot, "sock_connect"};
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0) throw_os_error(errno, "getsockopt(SO_ERROR)");
    if (soerr == 0) {
      // Writable with no error: connected (unless it is still in progress).
      sockaddr_storage peer;
      socklen_t plen = sizeof peer;
      if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &plen) == 0) co_return;
      if (errno != ENOTCONN) throw_os_error(errno, "getpeername");
      continue;
    }
    if (soerr == EINPROGRESS) continue;
    throw_os_error(soerr, "Connect call failed " + address.to_string(), "is anything listening there?");
  }
}

Task<std::pair<int, SocketAddress>> sock_accept(int fd) {
  FdEntry& e = ready_entry(fd);  // makes the listening socket non-blocking
  for (;;) {
    sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int c = ::accept4(fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (c >= 0) co_return std::make_pair(c, net::detail::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len));
    int err = errno;
    if (err == EINTR || err == ECONNABORTED) continue;
    if (!would_block(err)) throw_os_error(err, "accept");
    co_await net::detail::IoWait{&e.read_lot, "sock_accept"};
  }
}

Task<std::pair<std::size_t, SocketAddress>> sock_recvfrom_into(int fd, std::span<char> buffer, std::size_t nbytes) {
  check_not_transport(fd);
  if (nbytes > buffer.size())
    throw ValueError("nbytes is greater than the length of the buffer (" + std::to_string(nbytes) + " > " +
                     std::to_string(buffer.size()) + "): pass 0 to fill the whole buffer");
  if (nbytes == 0) nbytes = buffer.size();
  for (;;) {
    sockaddr_storage ss;
    socklen_t len = sizeof ss;
    ssize_t n = ::recvfrom(fd, buffer.data(), nbytes, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&ss), &len);
    if (n >= 0)
      co_return std::make_pair(static_cast<std::size_t>(n),
                               net::detail::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len));
    int err = errno;
    if (err == EINTR) continue;
    if (!would_block(err)) throw_os_error(err, "recvfrom");
    FdEntry& e = ready_entry(fd);
    co_await net::detail::IoWait{&e.read_lot, "sock_recvfrom"};
  }
}

Task<std::pair<std::string, SocketAddress>> sock_recvfrom(int fd, std::size_t bufsize) {
  std::string data(bufsize, '\0');
  std::span<char> span(data.data(), data.size());
  auto receiving = sock_recvfrom_into(fd, span);
  auto [n, address] = co_await receiving;
  data.resize(n);
  co_return std::make_pair(std::move(data), std::move(address));
}

Task<std::size_t> sock_sendto(int fd, std::string_view data, SocketAddress address) {
  check_not_transport(fd);
  net::detail::Sockaddr sa = net::detail::to_sockaddr(address);
  for (;;) {
    ssize_t n = ::sendto(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT, sa.get(), sa.len);
    if (n >= 0) co_return static_cast<std::size_t>(n);
    int err = errno;
    if (err == EINTR) continue;
    if (!would_block(err)) throw_os_error(err, "sendto");
    FdEntry& e = ready_entry(fd);
    co_await net::detail::IoWait{&e.write_lot, "sock_sendto"};
  }
}

// ---- plain socket helpers -------------------------------------------------------

int make_socket(int family, int type, int protocol) {
  int fd = ::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd < 0) throw_os_error(errno, "socket", errno == EMFILE ? "too many open files: raise `ulimit -n`" : "");
  return fd;
}

// A descriptor the caller hands over (sock=): checked before anything is
// changed, so that a refusal leaves it as it was, open and theirs.
bool net::detail::is_ip_address(const std::string& host) {
  in6_addr buf;
  return ::inet_pton(AF_INET, host.c_str(), &buf) == 1 || ::inet_pton(AF_INET6, host.c_str(), &buf) == 1;
}

bool net::detail::is_os_error(const std::exception_ptr& e) noexcept {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const OSError&) {
    return true;
  } catch (...) {
    return false;
  }
}

void net::detail::check_given_socket(int fd, int type, const char* what, int family) {
  int actual = 0;
  socklen_t len = sizeof actual;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &actual, &len) < 0) {
    int err = errno;
    if (err == ENOTSOCK)
      throw ValueError(std::string(what) + " was expected, got fd " + std::to_string(fd) + ", which is not a socket");
    throw_os_error(err, "sock=" + std::to_string(fd));
  }
  if (actual != type) {
    std::string kind = actual == SOCK_DGRAM    ? "SOCK_DGRAM"
                       : actual == SOCK_STREAM ? "SOCK_STREAM"
                                               : std::to_string(actual);
    throw ValueError(std::string(what) + " was expected, got fd " + std::to_string(fd) + " of type " + kind);
  }
  if (family == 0) return;
  int domain = 0;
  len = sizeof domain;
  if (::getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) < 0) throw_os_error(errno, "sock=" + std::to_string(fd));
  if (domain != family) {
    std::string name = domain == AF_INET ? "AF_INET" : domain == AF_INET6 ? "AF_INET6" : std::to_string(domain);
    throw ValueError(std::string(what) + " was expected, got fd " + std::to_string(fd) + " of family " + name);
  }
}

void bind_socket(int fd, const SocketAddress& address) {
  net::detail::Sockaddr sa = net::detail::to_sockaddr(address);
  if (::bind(fd, sa.get(), sa.len) < 0) {
    int err = errno;
    throw_os_error(err, "error while attempting to bind on address " + address.to_string(),
                   err == EADDRINUSE ? "address already in use: stop the other server or pick another port" : "");
  }
}

SocketAddress getsockname(int fd) {
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) return {};
  return net::detail::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

SocketAddress getpeername(int fd) {
  sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) < 0) return {};
  return net::detail::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

// ---- getaddrinfo ----------------------------------------------------------------

namespace {
std::vector<AddrInfo> blocking_getaddrinfo(const std::string& host, const std::string& port, int family, int type,
                                           int protocol, int flags) {
  addrinfo hints{};
  hints.ai_family = family;
  hints.ai_socktype = type;
  hints.ai_protocol = protocol;
  hints.ai_flags = flags;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.empty() ? nullptr : port.c_str(), &hints, &res);
  if (rc != 0) {
    std::string msg = "[Errno " + std::to_string(rc) + "] " + ::gai_strerror(rc) + " (getaddrinfo '" + host +
                      "', port '" + port + "': check the host name and your DNS)";
    throw gaierror(rc, msg);
  }
  std::vector<AddrInfo> out;
  for (addrinfo* ai = res; ai; ai = ai->ai_next) {
    AddrInfo info;
    info.family = ai->ai_family;
    info.type = ai->ai_socktype;
    info.protocol = ai->ai_protocol;
    if (ai->ai_canonname) info.canonname = ai->ai_canonname;
    info.address = net::detail::from_sockaddr(ai->ai_addr, ai->ai_addrlen);
    out.push_back(std::move(info));
  }
  ::freeaddrinfo(res);
  return out;
}
}  // namespace

Task<std::vector<AddrInfo>> getaddrinfo(std::string host, std::string port, int family, int type, int protocol,
                                        int flags) {
  // asyncio's _ipaddr_info: numeric hosts and ports need no resolver.
  // (Not over 5 digits: std::stoi would throw std::out_of_range on a long one;
  // an out-of-range port goes to the resolver, which reports it.)
  bool numeric_port = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos &&
                      std::stoi(port) <= 65535;
  if (numeric_port && !host.empty()) {
    in6_addr buf;
    int fam = 0;
    if (::inet_pton(AF_INET, host.c_str(), &buf) == 1)
      fam = AF_INET;
    else if (::inet_pton(AF_INET6, host.c_str(), &buf) == 1)
      fam = AF_INET6;
    if (fam && (family == 0 || family == fam)) {
      AddrInfo info;
      info.family = fam;
      info.type = type ? type : SOCK_STREAM;
      info.protocol = protocol;
      info.address = inet_address(host, std::stoi(port));
      info.address.family = fam;
      std::vector<AddrInfo> out;
      out.push_back(std::move(info));
      co_return out;
    }
  }
  auto fut = run_in_executor([host, port, family, type, protocol, flags] {
    return blocking_getaddrinfo(host, port, family, type, protocol, flags);
  });
  co_return co_await fut;
}

// ---- getnameinfo ----------------------------------------------------------------

namespace {
std::pair<std::string, std::string> blocking_getnameinfo(const SocketAddress& address, int flags) {
  net::detail::Sockaddr sa;
  try {
    sa = net::detail::to_sockaddr(address);
  } catch (const ValueError&) {
    // Python's socket.getnameinfo resolves with AI_NUMERICHOST: a name is an error.
    throw gaierror(EAI_NONAME, "[Errno " + std::to_string(EAI_NONAME) + "] " + ::gai_strerror(EAI_NONAME) +
                                   " (getnameinfo needs a numeric address, not '" + address.host +
                                   "': resolve it with getaddrinfo first)");
  }
  char host[NI_MAXHOST];
  char serv[NI_MAXSERV];
  int rc = ::getnameinfo(sa.get(), sa.len, host, sizeof host, serv, sizeof serv, flags);
  if (rc != 0) {
    int err = rc == EAI_SYSTEM ? errno : rc;
    throw gaierror(err, "[Errno " + std::to_string(err) + "] " + ::gai_strerror(rc) + " (getnameinfo '" +
                            address.host + "', port " + std::to_string(address.port) + ")");
  }
  return {host, serv};
}
}  // namespace

Task<std::pair<std::string, std::string>> getnameinfo(SocketAddress address, int flags) {
  if ((flags & NI_NUMERICHOST) && (flags & NI_NUMERICSERV)) co_return blocking_getnameinfo(address, flags);
  auto fut = run_in_executor([address = std::move(address), flags] { return blocking_getnameinfo(address, flags); });
  co_return co_await fut;
}

}  // namespace aio
