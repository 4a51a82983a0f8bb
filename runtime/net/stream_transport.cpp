// The stream transport: asyncio's _SelectorSocketTransport (and the pipe
// transports of unix_events.py) on an edge-triggered selector.
//
// The fd is registered once for both directions. `readable_`/`writable`
// remember the last edge: set by io_ready, cleared when a read or write comes
// back short or with EAGAIN. Reads borrow the loop's read buffer only for the
// duration of the call; an idle connection owns no buffer at all.
#include "stream_transport.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "aio/net/io.hpp"
#include "aio/net/server.hpp"

namespace aio::net::detail {

namespace {
inline bool would_block(int err) { return err == EAGAIN || err == EWOULDBLOCK; }
// Reads per readiness callback before other connections get their turn.
constexpr int kMaxReadsPerCallback = 4;
}  // namespace

StreamTransportImpl::StreamTransportImpl(NetState& net, int fd, Kind kind)
    : net_(net), fd_(fd), kind_(kind), loop_ref_(net.loop.anchor()) {
  ignore_sigpipe();
  net_.resources.insert(this);
  if (fd_ >= 0) net_.own_transport_fd(fd_);
}

StreamTransportImpl::~StreamTransportImpl() {
  if (detached_) return;
  net_.resources.erase(this);
  if (fd_ >= 0) {
    if (registered_) net_.selector.remove(fd_);
    net_.close_transport_fd(fd_);
  }
  if (server_) server_->detach(this);
}

void StreamTransportImpl::loop_closing() noexcept {
  // The loop is going away with this transport still open: close the fd and
  // break the self-reference (connection_lost can no longer be called).
  detached_ = true;
  io_.reset();
  if (fd_ >= 0) net_.close_transport_fd(fd_);
  fd_ = -1;
  if (server_) server_->detach(this);
  server_ = nullptr;
  closing_ = lost_ = true;
  auto keep = std::move(self_);
  protocol_.reset();
  buffered_ = nullptr;
}

void StreamTransportImpl::register_fd() {
  if (registered_) return;
  unsigned interest = 0;
  if (kind_ != write_pipe) interest |= Selector::readable;
  if (kind_ != read_pipe) interest |= Selector::writable;
  net_.selector.add(fd_, interest, Selector::Mode::edge, this);
  registered_ = true;
}

void StreamTransportImpl::start(std::shared_ptr<Protocol> protocol, std::shared_ptr<StreamTransportImpl> self,
                                Server* server, bool call_soon) {
  set_protocol(std::move(protocol));
  if (kind_ == socket) {
    // asyncio reads both addresses when it makes a transport, so that they
    // are still there in connection_lost and after, when the socket is
    // closed (and after a reset, when getpeername() would fail). The server
    // and create_connection set them from what they already have, which
    // costs no syscall; only what is missing is asked for here.
    sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (peername_.empty() && ::getpeername(fd_, reinterpret_cast<sockaddr*>(&ss), &len) == 0)
      peername_.assign(reinterpret_cast<sockaddr*>(&ss), len);
    len = sizeof ss;
    if (sockname_.empty() && ::getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len) == 0)
      sockname_.assign(reinterpret_cast<sockaddr*>(&ss), len);
  }
  self_ = std::move(self);
  server_ = server;
  if (server_) server_->attach(this);
  io_.set(net_.loop, [this] { on_io(); }, "transport");
  register_fd();
  auto begin = [this] {
    if (lost_) return;
    started_ = true;
    auto proto = protocol_;
    proto->connection_made(*this);
    if (readable_ && reading_ && !closing_) io_.schedule();
  };
  if (call_soon) {
    std::shared_ptr<StreamTransportImpl> keep = self_;
    net_.loop.call_soon([keep, begin] { begin(); }, "connection_made");
  } else {
    begin();
  }
}

void StreamTransportImpl::set_protocol(std::shared_ptr<Protocol> protocol) {
  protocol_ = std::move(protocol);
  buffered_ = dynamic_cast<BufferedProtocol*>(protocol_.get());
}

void StreamTransportImpl::io_ready(unsigned events) noexcept {
  bool wake = false;
  if (events & (Selector::hangup | Selector::error)) {
    hangup_ = true;
    if (kind_ == write_pipe && started_) io_.schedule();
  }
  // After EOF every edge still reports the socket readable (a read would
  // return 0 again): ignored, so eof_received() is called once.
  if ((events & Selector::readable) && !eof_) {
    readable_ = true;
    if (reading_ && started_ && !closing_) wake = true;
  }
  if (events & Selector::writable) {
    writable = true;
    write_lot.wake();
    if (get_write_buffer_size() > 0) wake = true;
  }
  if (wake) io_.schedule();
}

void StreamTransportImpl::on_io() {
  if (fd_ < 0 || lost_) return;
  if (kind_ == write_pipe) {
    // The reader of the pipe went away (asyncio's _UnixWritePipeTransport
    // ._read_ready): what is still buffered can never be delivered.
    if (hangup_) {
      if (get_write_buffer_size() > 0)
        force_close(make_os_error(EPIPE, "write"));
      else
        force_close(nullptr);
      return;
    }
  } else if (readable_ && reading_ && !closing_ && started_) {
    do_read();
  }
  if (fd_ >= 0 && !lost_ && writable && get_write_buffer_size() > 0) flush();
}

void StreamTransportImpl::do_read() {
  for (int i = 0; i < kMaxReadsPerCallback && readable_ && reading_ && !closing_; ++i) {
    BufferedProtocol* buffered = buffered_;  // a callback may have set another protocol
    char* buf;
    std::size_t cap;
    if (buffered) {
      std::span<char> span;
      try {
        span = buffered->get_buffer(-1);
      } catch (...) {
        auto exc = std::current_exception();
        net::detail::report_error(net_.loop, "Fatal error: protocol.get_buffer() call failed.", exc, this, buffered);
        force_close(exc);
        return;
      }
      if (span.empty()) {
        auto exc = std::make_exception_ptr(RuntimeError("get_buffer() returned an empty buffer"));
        force_close(exc);
        return;
      }
      buf = span.data();
      cap = span.size();
    } else {
      buf = net_.borrow_read_buffer();
      cap = net_.read_buffer.size();
    }
    ssize_t n = ::read(fd_, buf, cap);
    if (n > 0) {
      // A short read drained the socket: the next byte brings a new edge.
      // Not so after a hang-up: the FIN came with the edge we are serving.
      if (static_cast<std::size_t>(n) < cap && !hangup_) readable_ = false;
      auto proto = protocol_;
      try {
        if (buffered)
          buffered->buffer_updated(static_cast<std::size_t>(n));
        else
          proto->data_received(std::string_view(buf, static_cast<std::size_t>(n)));
      } catch (...) {
        auto exc = std::current_exception();
        net::detail::report_error(net_.loop,
                                  buffered ? "Fatal error: protocol.buffer_updated() call failed."
                                           : "Fatal error: protocol.data_received() call failed.",
                                  exc, this, proto.get());
        force_close(exc);
        return;
      }
      continue;
    }
    if (n == 0) {
      // Reading is over, but is_reading() stays as it was (asyncio only
      // removes its reader): the protocol sees itself reading inside
      // eof_received(), and after it if it keeps the connection open.
      readable_ = false;
      eof_ = true;
      auto proto = protocol_;
      bool keep_open = false;
      try {
        keep_open = proto->eof_received();
      } catch (...) {
        auto exc = std::current_exception();
        net::detail::report_error(net_.loop, "Fatal error: protocol.eof_received() call failed.", exc, this,
                                  proto.get());
        force_close(exc);
        return;
      }
      // A pipe that ended has nothing left to write to; a socket stays open
      // for writing if the protocol wants the half-close.
      if (!keep_open || kind_ == read_pipe) close();
      return;
    }
    int err = errno;
    if (err == EINTR) continue;
    if (would_block(err)) {
      readable_ = false;
      break;
    }
    fatal_error(make_os_error(err, kind_ == socket ? "recv" : "read"));
    return;
  }
  if (readable_ && reading_ && !closing_) io_.schedule();  // more to read: after the others
}

std::string StreamTransportImpl::describe() const {
  const bool loop_open = !detached_ && !net_.loop.is_closed();
  if (kind_ == socket)
    return selector_transport_repr("_SelectorSocketTransport", fd_, closing_, loop_open,
                                   fd_ >= 0 && reading_ && !closing_ && !eof_, fd_ >= 0 && get_write_buffer_size() > 0,
                                   get_write_buffer_size());
  // unix_events' pipe transports: one direction each, no "read=" / "write=".
  std::string out = kind_ == read_pipe ? "<_UnixReadPipeTransport" : "<_UnixWritePipeTransport";
  if (fd_ < 0)
    out += " closed";
  else if (closing_)
    out += " closing";
  out += " fd=" + std::to_string(fd_);
  if (fd_ >= 0 && loop_open) {
    const bool polling = kind_ == read_pipe ? reading_ && !closing_ && !eof_ : get_write_buffer_size() > 0;
    out += polling ? " polling" : " idle";
    if (kind_ == write_pipe) out += " bufsize=" + std::to_string(get_write_buffer_size());
  } else {
    out += fd_ >= 0 ? " open" : " closed";
  }
  return out + ">";
}

void StreamTransportImpl::pause_reading() {
  if (closing_ || !reading_) return;
  reading_ = false;
}

void StreamTransportImpl::resume_reading() {
  if (closing_ || reading_) return;
  reading_ = true;
  if (readable_ && started_) io_.schedule();
}

void StreamTransportImpl::write(std::string_view data) {
  if (eof_pending_ || eof_written_) throw RuntimeError("Cannot call write() after write_eof()");
  if (sendfile_in_progress) throw RuntimeError("unable to write; sendfile is in progress: await it first");
  if (kind_ == read_pipe) throw RuntimeError("write() on the read end of a pipe");
  if (data.empty()) return;
  if (lost_ || fd_ < 0) {
    drop_lost_write(lost_writes_);
    return;
  }
  std::size_t sent = 0;
  if (get_write_buffer_size() == 0) {
    // Try the syscall before buffering: usually it takes everything.
    for (;;) {
      ssize_t n = kind_ == socket ? ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL)
                                  : ::write(fd_, data.data(), data.size());
      if (n >= 0) {
        sent = static_cast<std::size_t>(n);
        if (sent < data.size()) writable = false;
        break;
      }
      int err = errno;
      if (err == EINTR) continue;
      if (would_block(err)) {
        writable = false;
        break;
      }
      fatal_error(make_os_error(err, kind_ == socket ? "send" : "write"));
      return;
    }
    if (sent == data.size()) return;
  }
  wbuf_.append(data.data() + sent, data.size() - sent);
  flow_.maybe_pause(get_write_buffer_size(), protocol_, net_.loop, *this);
}

bool StreamTransportImpl::flush() {
  while (wstart_ < wbuf_.size()) {
    ssize_t n = kind_ == socket ? ::send(fd_, wbuf_.data() + wstart_, wbuf_.size() - wstart_, MSG_NOSIGNAL)
                                : ::write(fd_, wbuf_.data() + wstart_, wbuf_.size() - wstart_);
    if (n >= 0) {
      wstart_ += static_cast<std::size_t>(n);
      continue;
    }
    int err = errno;
    if (err == EINTR) continue;
    if (would_block(err)) {
      writable = false;
      break;
    }
    fatal_error(make_os_error(err, kind_ == socket ? "send" : "write"));
    return false;
  }
  if (wstart_ == wbuf_.size()) {
    wbuf_.clear();
    wstart_ = 0;
    // Give back what a burst of writes made the buffer grow to.
    if (wbuf_.capacity() > flow_.limits().second * 2) wbuf_.shrink_to_fit();
  } else if (wstart_ > wbuf_.size() / 2) {
    wbuf_.erase(0, wstart_);
    wstart_ = 0;
  }
  write_lot.wake();
  flow_.maybe_resume(get_write_buffer_size(), protocol_, net_.loop, *this);
  if (get_write_buffer_size() == 0) {
    if (closing_ && !lost_) {
      lost_ = true;
      call_connection_lost(nullptr);
    } else if (eof_pending_) {
      eof_pending_ = false;
      eof_written_ = true;
      if (kind_ == socket)
        ::shutdown(fd_, SHUT_WR);
      else
        close();
    }
  }
  return true;
}

void StreamTransportImpl::write_eof() {
  if (closing_ || eof_written_ || eof_pending_) return;
  if (kind_ == read_pipe) throw RuntimeError("write_eof() on the read end of a pipe");
  if (get_write_buffer_size() == 0) {
    eof_written_ = true;
    if (kind_ == socket) {
      if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
    } else {
      close();
    }
  } else {
    eof_pending_ = true;
  }
}

void StreamTransportImpl::set_write_buffer_limits(long high, long low) {
  flow_.set_limits(high, low);
  flow_.maybe_pause(get_write_buffer_size(), protocol_, net_.loop, *this);
}

void StreamTransportImpl::close() {
  if (closing_) return;
  closing_ = true;
  reading_ = false;
  if (get_write_buffer_size() == 0 && !lost_) {
    lost_ = true;
    std::shared_ptr<StreamTransportImpl> keep = self_;
    if (!keep) {
      call_connection_lost(nullptr);  // never started
      return;
    }
    net_.loop.call_soon([keep] { keep->call_connection_lost(nullptr); }, "connection_lost");
  }
}

void StreamTransportImpl::abort() { force_close(nullptr); }

void StreamTransportImpl::fatal_error(std::exception_ptr exc) {
  // asyncio logs OSErrors (resets, broken pipes) only in debug mode.
  if (!is_os_error(exc)) {
    net::detail::report_error(net_.loop, "Fatal error on transport", exc, this, protocol_.get());
  }
  force_close(exc);
}

void StreamTransportImpl::force_close(std::exception_ptr exc) {
  if (lost_) return;
  wbuf_.clear();
  wstart_ = 0;
  closing_ = true;
  reading_ = false;
  lost_ = true;
  std::shared_ptr<StreamTransportImpl> keep = self_;
  if (!keep) {
    call_connection_lost(exc);
    return;
  }
  net_.loop.call_soon([keep, exc] { keep->call_connection_lost(exc); }, "connection_lost");
}

void StreamTransportImpl::call_connection_lost(std::exception_ptr exc) {
  if (detached_) return;
  auto proto = std::move(protocol_);
  buffered_ = nullptr;
  struct Cleanup {
    StreamTransportImpl* t;
    ~Cleanup() {
      t->io_.reset();
      if (t->fd_ >= 0) {
        if (t->registered_) t->net_.selector.remove(t->fd_);
        t->net_.close_transport_fd(t->fd_);
        t->fd_ = -1;
      }
      t->write_lot.wake();
      if (t->server_) t->server_->detach(t);
      t->server_ = nullptr;
      auto keep = std::move(t->self_);  // may destroy *t at the end of this scope
    }
  } cleanup{this};
  if (proto && started_) proto->connection_lost(exc);
}

std::any StreamTransportImpl::get_extra_info(std::string_view name) const {
  if (kind_ == socket) {
    if (name == "peername") return peername_.get();
    if (name == "sockname") return sockname_.get();
    if (name == "socket") return fd_ >= 0 ? std::any(fd_) : std::any();
  } else if (name == "pipe") {
    return fd_ >= 0 ? std::any(fd_) : std::any();
  }
  return {};
}

// One per connection: keep it from growing unnoticed (the server's list links
// included). 264 bytes until the peer and local addresses were kept for
// get_extra_info after close (two 29-byte SavedAddress, packed with the
// flags): 312.
static_assert(sizeof(StreamTransportImpl) <= 312);

}  // namespace aio::net::detail

namespace aio {
SocketAddress BaseTransport::get_address_info(std::string_view name) const {
  std::any v = get_extra_info(name);
  if (auto* a = std::any_cast<SocketAddress>(&v)) return *a;
  return {};
}
}  // namespace aio
