// The stream transport of sockets and pipes (asyncio's
// _SelectorSocketTransport and unix_events' pipe transports in one class).
#pragma once
#include <cstddef>
#include <memory>
#include <string>

#include "aio/detail/intrusive_list.hpp"
#include "aio/net/protocols.hpp"
#include "flow_control.hpp"
#include "internal.hpp"

namespace aio {
class Server;
}

namespace aio::net::detail {

class StreamTransportImpl final : public Transport, public IoWatcher, public LoopResource {
 public:
  enum Kind : unsigned char { socket, read_pipe, write_pipe };

  StreamTransportImpl(NetState& net, int fd, Kind kind);
  ~StreamTransportImpl() override;

  /// Register with the selector (once, edge-triggered, both directions).
  void register_fd();
  /// Hand the connection to `protocol`: connection_made runs on the next
  /// iteration, then reading starts (asyncio's call_soon order).
  void start(std::shared_ptr<Protocol> protocol, std::shared_ptr<StreamTransportImpl> self, Server* server,
             bool call_soon = true);

  // Transport
  void close() override;
  bool is_closing() const noexcept override { return closing_; }
  using BaseTransport::get_extra_info;  // and (name, default)
  std::any get_extra_info(std::string_view name) const override;
  EventLoop& get_loop() const override { return loop_ref_.get_or_raise("transport"); }
  /// asyncio's `not paused and not closing`: still true after an EOF the
  /// protocol kept the connection open for, though nothing more is read.
  bool is_reading() const noexcept override { return reading_ && !closing_; }
  void pause_reading() override;
  void resume_reading() override;
  void write(std::string_view data) override;
  bool can_write_eof() const noexcept override { return kind_ != read_pipe; }
  void write_eof() override;
  void abort() override;
  std::size_t get_write_buffer_size() const noexcept override { return wbuf_.size() - wstart_; }
  void set_write_buffer_limits(long high = -1, long low = -1) override;
  std::pair<std::size_t, std::size_t> get_write_buffer_limits() const noexcept override { return flow_.limits(); }
  std::shared_ptr<Protocol> get_protocol() const override { return protocol_; }
  void set_protocol(std::shared_ptr<Protocol> protocol) override;

  // IoWatcher
  void io_ready(unsigned events) noexcept override;

  void loop_closing() noexcept override;
  int fd() const noexcept { return fd_; }
  std::shared_ptr<StreamTransportImpl> shared() const { return self_; }
  /// The socket's addresses, when the caller has them already (accept4 gives
  /// the peer's, connect was given it): start() asks the kernel only for
  /// those not set.
  void set_peername(const sockaddr* sa, socklen_t len) { peername_.assign(sa, len); }
  void set_sockname(const sockaddr* sa, socklen_t len) { sockname_.assign(sa, len); }
  /// The server object is going away before this connection.
  void forget_server() noexcept { server_ = nullptr; }
  Kind kind() const noexcept { return kind_; }
  /// asyncio's repr of the transport, for the exception handler's
  /// 'transport' key: "<_SelectorSocketTransport fd=7 read=polling
  /// write=<idle, bufsize=0>>", "<_UnixReadPipeTransport fd=8 polling>",
  /// "<_UnixWritePipeTransport fd=9 idle bufsize=0>".
  std::string describe() const override;
  bool lost() const noexcept { return lost_; }
  /// Parked tasks waiting for writability (connect, sendfile).
  WaitLot write_lot;
  aio::detail::IntrusiveListHook<StreamTransportImpl> list_hook;  // its server's connections

 private:
  void on_io();
  void do_read();
  bool flush();  // false: fatal error
  void fatal_error(std::exception_ptr exc);
  void force_close(std::exception_ptr exc);
  void call_connection_lost(std::exception_ptr exc);

  NetState& net_;
  int fd_;
  unsigned lost_writes_ = 0;
  Kind kind_;

 public:
  // (Declared among the private flags so that they all pack together.)
  bool sendfile_in_progress = false;
  bool writable = false;

 private:
  bool registered_ = false;
  bool readable_ = false;
  bool hangup_ = false;  // the peer shut down (or an error is pending): read to the end
  bool reading_ = true;   // not paused (asyncio's `not _paused`)
  bool eof_ = false;      // the end of the stream was read: nothing more to read
  bool closing_ = false;
  bool eof_pending_ = false;  // write_eof once the buffer is sent
  bool eof_written_ = false;
  bool lost_ = false;     // connection_lost is scheduled (asyncio's _conn_lost)
  bool started_ = false;
  bool detached_ = false;  // the loop's net state is gone
  // get_extra_info's "peername" and "sockname", saved when the transport
  // starts, so that they outlive the socket (see start()).
  SavedAddress peername_, sockname_;
  aio::detail::LoopRef loop_ref_;  // get_loop(): whether the loop still exists
  WriteFlowControl flow_;
  std::string wbuf_;
  std::size_t wstart_ = 0;
  std::shared_ptr<Protocol> protocol_;
  // protocol_ as a BufferedProtocol, or null: found once when the protocol is
  // set, not per read (a dynamic_cast cost as much as the rest of a read's
  // user-space work).
  BufferedProtocol* buffered_ = nullptr;
  std::shared_ptr<StreamTransportImpl> self_;  // alive until connection_lost
  Server* server_ = nullptr;
  IoHandle io_;
};

}  // namespace aio::net::detail
