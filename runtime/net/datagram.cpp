// UDP: asyncio's create_datagram_endpoint and _SelectorDatagramTransport.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <deque>

#include "aio/net/io.hpp"
#include "aio/net/server.hpp"
#include "flow_control.hpp"
#include "internal.hpp"

namespace aio {
namespace net::detail {
namespace {
inline bool would_block(int err) { return err == EAGAIN || err == EWOULDBLOCK; }
// What a queued datagram counts in get_write_buffer_size() besides its bytes
// (asyncio's _header_size, added in CPython 3.13 with empty datagrams,
// gh-113812; 3.11 counts the bytes alone). Without it a protocol that queues
// empty datagrams would see an empty buffer and never be paused.
constexpr std::size_t kDatagramOverhead = 8;
}  // namespace

class DatagramTransportImpl final : public DatagramTransport, public IoWatcher, public LoopResource {
 public:
  DatagramTransportImpl(NetState& net, int fd, std::optional<SocketAddress> remote)
      : net_(net), fd_(fd), remote_(std::move(remote)), loop_ref_(net.loop.anchor()) {
    net_.resources.insert(this);
    if (fd_ >= 0) net_.own_transport_fd(fd_);
  }
  ~DatagramTransportImpl() override {
    if (detached_) return;
    net_.resources.erase(this);
    if (fd_ >= 0) {
      net_.selector.remove(fd_);
      net_.close_transport_fd(fd_);
    }
  }
  void loop_closing() noexcept override {
    detached_ = true;
    io_.reset();
    if (fd_ >= 0) net_.close_transport_fd(fd_);
    fd_ = -1;
    auto keep = std::move(self_);
    protocol_.reset();
  }

  void start(std::shared_ptr<DatagramProtocol> protocol, std::shared_ptr<DatagramTransportImpl> self) {
    protocol_ = std::move(protocol);
    self_ = std::move(self);
    // Read now, as asyncio does, so that get_extra_info("sockname") still
    // answers once the socket is closed ("peername" is remote_).
    sockname_ = getsockname(fd_);
    io_.set(net_.loop, [this] { on_io(); }, "datagram transport");
    net_.selector.add(fd_, Selector::readable | Selector::writable, Selector::Mode::edge, this);
    protocol_->connection_made(*this);
    readable_ = true;  // try once: datagrams may have arrived already
    io_.schedule();
  }

  void io_ready(unsigned events) noexcept override {
    if (events & Selector::readable) readable_ = true;
    if (events & Selector::writable) writable_ = true;
    io_.schedule();
  }

  void sendto(std::string_view data, const std::optional<SocketAddress>& addr) override {
    // The address first, closed or not, as asyncio checks it.
    if (addr && remote_ && !(*addr == *remote_))
      throw ValueError("Invalid address: must be None or " + remote_->to_string() +
                       " (the endpoint is connected to it)");
    if (!addr && !remote_) throw ValueError("sendto() needs an address: this endpoint has no remote_addr");
    // asyncio drops what a connected endpoint is given once it is closing
    // with nothing queued (its _conn_lost is set), but lets an unconnected
    // one send until connection_lost closes the socket.
    if (fd_ < 0 || (lost_ && remote_)) {
      drop_lost_write(lost_writes_);
      return;
    }
    std::optional<Sockaddr> sa;
    if (addr && !remote_) sa = to_sockaddr(*addr);
    if (queue_.empty()) {
      ssize_t n = sa ? ::sendto(fd_, data.data(), data.size(), MSG_NOSIGNAL, sa->get(), sa->len)
                     : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n >= 0) return;
      int err = errno;
      if (!would_block(err) && err != EINTR) {
        report_error(make_os_error(err, "sendto"));
        return;
      }
      writable_ = false;
    }
    // Queued even past the high-water mark, as asyncio and our stream
    // transport do: pause_writing() asks the protocol to stop, and a protocol
    // that ignores it makes the queue grow. Dropping datagrams here instead
    // would be allowed (UDP may lose any of them), but it would make the
    // same misuse silent on one transport and not on the other, and the
    // protocol, not the transport, knows which datagrams it can afford to
    // lose.
    queue_.emplace_back(std::string(data), sa);
    buffered_ += data.size() + kDatagramOverhead;
    flow_.maybe_pause(buffered_, protocol_, net_.loop, *this);
  }

  void close() override {
    if (closing_) return;
    closing_ = true;
    if (queue_.empty()) schedule_lost(nullptr);
  }
  void abort() override {
    queue_.clear();
    buffered_ = 0;
    closing_ = true;
    schedule_lost(nullptr);
  }
  bool is_closing() const noexcept override { return closing_; }
  std::size_t get_write_buffer_size() const noexcept override { return buffered_; }
  /// asyncio's repr: "<_SelectorDatagramTransport fd=7 read=polling write=<idle, bufsize=0>>".
  std::string describe() const override {
    const bool loop_open = !detached_ && !net_.loop.is_closed();
    return selector_transport_repr("_SelectorDatagramTransport", fd_, closing_, loop_open, fd_ >= 0 && !closing_,
                                   fd_ >= 0 && !queue_.empty(), buffered_);
  }
  void set_write_buffer_limits(long high, long low) override {
    flow_.set_limits(high, low);
    flow_.maybe_pause(buffered_, protocol_, net_.loop, *this);
  }
  std::pair<std::size_t, std::size_t> get_write_buffer_limits() const noexcept override { return flow_.limits(); }
  std::shared_ptr<DatagramProtocol> get_protocol() const override { return protocol_; }
  void set_protocol(std::shared_ptr<DatagramProtocol> protocol) override {
    // Every event handler calls protocol_ without a check: a null one would
    // crash at the next datagram, far from this call.
    if (!protocol) throw TypeError("set_protocol() needs a protocol, not null");
    // After connection_lost there is nobody left to tell anything to.
    if (lost_ && !protocol_) return;
    protocol_ = std::move(protocol);
  }
  EventLoop& get_loop() const override { return loop_ref_.get_or_raise("transport"); }
  using BaseTransport::get_extra_info;  // and (name, default)
  std::any get_extra_info(std::string_view name) const override {
    if (name == "sockname") return sockname_.empty() ? std::any() : std::any(sockname_);
    if (name == "peername") return remote_ ? std::any(*remote_) : std::any();
    if (name == "socket") return fd_ >= 0 ? std::any(fd_) : std::any();
    return {};
  }

 private:
  void on_io() {
    if (fd_ < 0 || lost_) return;
    if (writable_ && !queue_.empty()) flush();
    if (readable_ && !closing_) read();
  }
  void read() {
    char* buf = net_.borrow_read_buffer();
    // asyncio's max_size (256 KiB), the size of the loop's read buffer: a
    // UDP datagram is under 64 KiB, but an AF_UNIX one may be larger, and
    // recvfrom cuts what does not fit off without a word.
    constexpr std::size_t kMaxSize = 256 * 1024;
    std::size_t cap = std::min<std::size_t>(net_.read_buffer.size(), kMaxSize);
    for (int i = 0; i < 64 && !closing_ && fd_ >= 0; ++i) {
      sockaddr_storage ss;
      socklen_t len = sizeof ss;
      ssize_t n = ::recvfrom(fd_, buf, cap, 0, reinterpret_cast<sockaddr*>(&ss), &len);
      if (n < 0) {
        int err = errno;
        if (err == EINTR) continue;
        if (would_block(err)) {
          readable_ = false;
          return;
        }
        report_error(make_os_error(err, "recvfrom"));
        continue;
      }
      auto proto = protocol_;
      try {
        proto->datagram_received(std::string_view(buf, static_cast<std::size_t>(n)),
                                 from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len));
      } catch (...) {
        // As asyncio (whose reader callback lets it propagate to the loop):
        // reported, and the endpoint stays open. One datagram the protocol
        // could not handle does not break the next ones, unlike a byte
        // stream, where a failed data_received loses the framing.
        // asyncio's context has the handle then: its _read_ready callback.
        ExceptionContext ctx;
        ctx.message =
            "Exception in callback DatagramTransport._read_ready(): "
            "protocol.datagram_received() raised";
        ctx.exception = std::current_exception();
        ctx.handle = "<Handle _SelectorDatagramTransport._read_ready()>";
        net_.loop.call_exception_handler(ctx);
      }
    }
    io_.schedule();  // more may be waiting: after the others
  }
  void flush() {
    while (!queue_.empty()) {
      auto& [data, sa] = queue_.front();
      ssize_t n = sa ? ::sendto(fd_, data.data(), data.size(), MSG_NOSIGNAL, sa->get(), sa->len)
                     : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      int err = n < 0 ? errno : 0;
      if (err == EINTR) continue;
      if (would_block(err)) {
        writable_ = false;
        break;
      }
      buffered_ -= data.size() + kDatagramOverhead;
      queue_.pop_front();
      // A datagram that failed is dropped, as asyncio does. Reported after
      // the pop: error_received() may close or abort the transport.
      if (err) report_error(make_os_error(err, "sendto"));
    }
    // As asyncio's _sendto_ready: the protocol resumes when the queue is
    // down to the low-water mark, which may be before it is empty (the
    // kernel took what it could); resume_writing() may queue more.
    flow_.maybe_resume(buffered_, protocol_, net_.loop, *this);
    if (closing_ && queue_.empty()) schedule_lost(nullptr);
  }
  void report_error(std::exception_ptr exc) {
    auto proto = protocol_;
    if (!proto) return;
    try {
      proto->error_received(exc);
    } catch (...) {
      net::detail::report_error(net_.loop, "protocol.error_received() failed", std::current_exception(), this,
                                proto.get());
    }
  }
  void schedule_lost(std::exception_ptr exc) {
    if (lost_) return;
    lost_ = true;
    std::shared_ptr<DatagramTransportImpl> keep = self_;
    if (!keep) return;
    net_.loop.call_soon([keep, exc] { keep->call_connection_lost(exc); }, "connection_lost");
  }
  void call_connection_lost(std::exception_ptr exc) {
    if (detached_) return;
    auto proto = std::move(protocol_);
    // As asyncio's _call_connection_lost: the socket is closed after
    // connection_lost() returns, so the protocol can still look at it.
    struct Cleanup {
      DatagramTransportImpl* t;
      ~Cleanup() {
        t->io_.reset();
        if (t->fd_ >= 0) {
          t->net_.selector.remove(t->fd_);
          t->net_.close_transport_fd(t->fd_);
          t->fd_ = -1;
        }
        // What an unconnected endpoint queued while closing can no longer go.
        t->queue_.clear();
        t->buffered_ = 0;
        auto keep = std::move(t->self_);  // may destroy *t at the end of this scope
      }
    } cleanup{this};
    if (proto) proto->connection_lost(exc);
  }

  NetState& net_;
  int fd_;
  std::optional<SocketAddress> remote_;  // connected to it: "peername"
  SocketAddress sockname_;
  aio::detail::LoopRef loop_ref_;  // get_loop(): whether the loop still exists
  std::shared_ptr<DatagramProtocol> protocol_;
  std::shared_ptr<DatagramTransportImpl> self_;
  std::deque<std::pair<std::string, std::optional<Sockaddr>>> queue_;
  std::size_t buffered_ = 0;  // get_write_buffer_size()
  WriteFlowControl flow_;
  unsigned lost_writes_ = 0;
  bool readable_ = false;
  bool writable_ = true;
  bool closing_ = false;
  bool lost_ = false;
  bool detached_ = false;
  IoHandle io_;
};

}  // namespace net::detail

Task<std::pair<std::shared_ptr<DatagramTransport>, std::shared_ptr<DatagramProtocol>>> create_datagram_endpoint(
    DatagramProtocolFactory factory, DatagramOptions options) {
  auto& net = net::detail::net_state(get_running_loop());
  if (options.sock) {
    std::string problems;
    auto note = [&](bool set, const char* name) {
      if (set) problems += (problems.empty() ? "" : ", ") + std::string(name);
    };
    note(options.local_addr.has_value(), "local_addr");
    note(options.remote_addr.has_value(), "remote_addr");
    note(options.family != 0, "family");
    note(options.proto != 0, "proto");
    note(options.flags != 0, "flags");
    note(options.reuse_port, "reuse_port");
    note(options.allow_broadcast, "allow_broadcast");
    if (!problems.empty())
      throw ValueError("socket modifier keyword arguments can not be used when sock is specified. (" + problems + ")");
    int fd = *options.sock;
    net::detail::check_given_socket(fd, SOCK_DGRAM, "A datagram socket");
    forget_fd(net.loop, fd);
    net::detail::set_nonblocking(fd);
    // A socket connected already sends to its peer with sendto(data), as an
    // endpoint made with remote_addr does.
    SocketAddress peer = getpeername(fd);
    std::optional<SocketAddress> remote;
    if (!peer.empty()) remote = peer;
    auto t = std::make_shared<net::detail::DatagramTransportImpl>(net, fd, remote);
    std::shared_ptr<DatagramProtocol> protocol = factory();
    t->start(protocol, t);
    co_return std::make_pair(std::static_pointer_cast<DatagramTransport>(t), protocol);
  }
  if (!options.local_addr && !options.remote_addr && options.family == 0)
    throw ValueError(
        "create_datagram_endpoint() needs local_addr, remote_addr, both, or a family for an unbound socket "
        "(asyncio: unexpected address family)");
  std::optional<SocketAddress> local = options.local_addr, remote = options.remote_addr;
  if (remote && remote->family != AF_UNIX) net::detail::check_port(remote->port, "create_datagram_endpoint");
  if (local && local->family != AF_UNIX) net::detail::check_port(local->port, "create_datagram_endpoint");
  // Resolve names (numeric addresses resolve at once).
  if (remote && remote->family != AF_UNIX) {
    auto lookup = getaddrinfo(remote->host, std::to_string(remote->port), options.family, SOCK_DGRAM, options.proto,
                              options.flags);
    auto infos = co_await lookup;
    if (infos.empty()) throw OSError(0, "getaddrinfo() returned empty list for '" + remote->host + "'");
    remote = infos[0].address;
  }
  if (local && local->family != AF_UNIX) {
    int fam = remote ? remote->family : options.family;
    std::string host = local->host;
    auto lookup =
        getaddrinfo(host, std::to_string(local->port), fam, SOCK_DGRAM, options.proto, options.flags | AI_PASSIVE);
    auto infos = co_await lookup;
    if (infos.empty()) throw OSError(0, "getaddrinfo() returned empty list for '" + local->host + "'");
    local = infos[0].address;
  }
  int family = remote ? remote->family : local ? local->family : options.family;
  // asyncio makes the socket with the proto it was given (the lookups, with
  // it, have checked that it fits a datagram socket of that family).
  int fd = make_socket(family, SOCK_DGRAM, options.proto);
  auto t = std::make_shared<net::detail::DatagramTransportImpl>(net, fd, remote);  // owns fd from here
  int one = 1;
  if (options.reuse_port) ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (options.allow_broadcast) ::setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
  if (local) bind_socket(fd, *local);
  if (remote) {
    auto sa = net::detail::to_sockaddr(*remote);
    if (::connect(fd, sa.get(), sa.len) < 0)
      net::detail::throw_os_error(errno, "connect " + remote->to_string());
  }
  std::shared_ptr<DatagramProtocol> protocol = factory();
  t->start(protocol, t);
  co_return std::make_pair(std::static_pointer_cast<DatagramTransport>(t), protocol);
}

}  // namespace aio
