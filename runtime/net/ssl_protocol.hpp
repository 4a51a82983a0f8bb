// TLS over a stream transport: asyncio's sslproto.py (SSLProtocol and
// _SSLProtocolTransport) on OpenSSL with memory BIOs.
//
// The picture, as in asyncio:
//
//     user's Protocol  <-plaintext-  SSLProtocolImpl  <-TLS records-  StreamTransportImpl (socket)
//                      -plaintext->  (a Transport up,  -TLS records->
//                                     a Protocol down)
//
// One object plays both of asyncio's roles: the socket transport's protocol
// (it gets the TLS records) and the user's transport (it encrypts what the
// user writes). OpenSSL never touches the socket: records go in through
// `incoming` (BIO_write what the socket read) and come out of `outgoing`
// (BIO_read and write to the socket), so the socket transport and the loop
// stay unaware of TLS.
//
// States (asyncio's SSLProtocolState): UNWRAPPED -> DO_HANDSHAKE -> WRAPPED
// -> FLUSHING -> SHUTDOWN, and back to UNWRAPPED when the connection is lost.
// The user's protocol sees connection_made only once the handshake is done.
//
// Memory is bounded in both directions:
// - reading: when the records waiting in `incoming` reach 256 KiB (asyncio's
//   FLOW_CONTROL_HIGH_WATER_SSL_READ) the socket transport stops reading.
//   While the user has paused reading, nothing is decrypted, so `incoming`
//   fills up and the socket stops: TCP's window then stops the peer.
// - writing: the socket transport's pause_writing() stops us handing it
//   records; they wait in `outgoing`, and past 512 KiB
//   (FLOW_CONTROL_HIGH_WATER_SSL_WRITE) the user's protocol is paused.
#pragma once
#include <cstddef>
#include <exception>
#include <memory>
#include <string>

#include "aio/detail/loop_ref.hpp"
#include "aio/handle.hpp"
#include "aio/net/io_wait.hpp"
#include "aio/net/protocols.hpp"
#include "aio/net/ssl.hpp"
#include "aio/task.hpp"
#include "flow_control.hpp"
#include "internal.hpp"

struct bio_st;

namespace aio::net::detail {

class SSLProtocolImpl final : public Transport, public Protocol, public LoopResource {
 public:
  enum class State : unsigned char { UNWRAPPED, DO_HANDSHAKE, WRAPPED, FLUSHING, SHUTDOWN };

  /// ValueError for a timeout <= 0, or check_hostname without a host name.
  /// `call_connection_made` false: the user's protocol is connected already
  /// (start_tls), so it is not told again.
  SSLProtocolImpl(EventLoop& loop, SSLContext context, std::shared_ptr<Protocol> app_protocol, TLSOptions options,
                  bool call_connection_made = true);
  ~SSLProtocolImpl() override;

  /// Resolves once the handshake is done: raises what it failed with (an
  /// SSLError, ConnectionAbortedError on the handshake timeout, what the
  /// connection was lost to). Cancelling it aborts the connection.
  Task<void> wait_handshake();
  State state() const noexcept { return state_; }
  /// asyncio's _get_read_buffer_size: TLS records received, not decrypted yet.
  std::size_t get_read_buffer_size() const noexcept;
  /// Whether the user's protocol was told to pause writing (sendfile's
  /// fallback takes that over while it writes).
  bool app_writing_paused() const noexcept { return app_flow_.paused(); }

  // Transport: what the user's protocol sees.
  void close() override;
  bool is_closing() const noexcept override { return closed_; }
  using BaseTransport::get_extra_info;  // and (name, default)
  std::any get_extra_info(std::string_view name) const override;
  EventLoop& get_loop() const override { return loop_ref_.get_or_raise("transport"); }
  bool is_reading() const noexcept override { return !app_reading_paused_; }
  void pause_reading() override { app_reading_paused_ = true; }
  void resume_reading() override;
  void write(std::string_view data) override;
  bool can_write_eof() const noexcept override { return false; }
  /// NotImplementedError, as asyncio's: TLS 1.2 has no half-close.
  void write_eof() override;
  void abort() override;
  std::size_t get_write_buffer_size() const noexcept override;
  void set_write_buffer_limits(long high = -1, long low = -1) override;
  std::pair<std::size_t, std::size_t> get_write_buffer_limits() const noexcept override { return app_flow_.limits(); }
  std::shared_ptr<Protocol> get_protocol() const override { return app_; }
  void set_protocol(std::shared_ptr<Protocol> protocol) override;

  // Protocol: what the socket transport calls.
  void connection_made(Transport& transport) override;
  void connection_lost(std::exception_ptr exc) override;
  void data_received(std::string_view data) override;
  bool eof_received() override;
  void pause_writing() override { ssl_writing_paused_ = true; }
  void resume_writing() override;

  /// The loop is going away with the connection open: the socket transport
  /// drops us without connection_lost, so drop the user's protocol here (it
  /// usually holds this transport: a cycle that would leak).
  void loop_closing() noexcept override;

 private:
  enum class AppState : unsigned char { INIT, CON_MADE, EOF_, CON_LOST };
  std::shared_ptr<SSLProtocolImpl> self();
  void start_handshake();
  void do_handshake();
  void on_handshake_complete(std::exception_ptr exc);
  void check_handshake_timeout();
  void start_shutdown();
  void do_flush();
  void do_shutdown();
  void on_shutdown_complete(std::exception_ptr exc);
  void do_write();
  void process_outgoing();
  void do_read();
  void do_read_copied();
  void do_read_buffered();
  void call_eof_received();
  void control_app_writing();
  void control_ssl_reading();
  void fatal_error(std::exception_ptr exc, const char* message);
  void settle_handshake(std::exception_ptr exc);
  void dispatch_by_state();

  aio::detail::LoopRef loop_ref_;
  EventLoop& loop_;
  NetState& net_;
  SSLContext context_;
  TLSOptions options_;
  ssl_st* ssl_ = nullptr;
  bio_st* incoming_ = nullptr;  // owned by ssl_
  bio_st* outgoing_ = nullptr;  // owned by ssl_
  std::shared_ptr<Protocol> app_;
  BufferedProtocol* app_buffered_ = nullptr;
  std::shared_ptr<Transport> transport_;  // the socket's; kept after it is lost for get_extra_info
  // Plaintext the user wrote that OpenSSL could not take yet (during a
  // handshake or renegotiation).
  std::string backlog_;
  WriteFlowControl app_flow_;
  std::exception_ptr fatal_exc_;  // what the connection is being aborted for
  TimerHandle handshake_timer_, shutdown_timer_;
  std::exception_ptr handshake_exc_;
  WaitLot handshake_lot_;
  unsigned conn_lost_writes_ = 0;
  State state_ = State::UNWRAPPED;
  AppState app_state_ = AppState::INIT;
  bool handshake_settled_ = false;
  bool closed_ = false;  // the user's transport is closing (asyncio's _closed)
  bool eof_received_ = false;
  bool ssl_writing_paused_ = false;
  bool app_reading_paused_ = false;
  bool ssl_reading_paused_ = false;
  bool detached_ = false;  // the loop's net state is gone
  bool in_read_ = false;   // do_read is delivering data to the user
};

/// A number as Python's str(float) writes it (60 -> "60.0"), for asyncio's
/// messages about timeouts.
std::string python_float(double v);

/// An SSLError (or subclass) for OpenSSL's error queue and SSL_get_error()
/// code `ssl_error`; clears the queue. `ssl` (may be null) gives the
/// certificate verification result, `hostname` the name it was checked
/// against.
std::exception_ptr make_ssl_error(int ssl_error, ssl_st* ssl, const std::string& hostname);
/// The same for a failed context call (loading certificates...): SSLError
/// with OpenSSL's last reason, or `fallback` when the queue is empty.
[[noreturn]] void throw_ssl_error(const std::string& fallback);

}  // namespace aio::net::detail
