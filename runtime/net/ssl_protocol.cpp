// asyncio's sslproto.py on OpenSSL memory BIOs: see ssl_protocol.hpp. The
// state machine, the order of the callbacks and the flow-control marks follow
// CPython 3.11's SSLProtocol.
#include "ssl_protocol.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cstdio>

#include "aio/net/errors.hpp"
#include "internal.hpp"
#include "stream_transport.hpp"

namespace aio::net::detail {

namespace {
// asyncio's constants.FLOW_CONTROL_HIGH_WATER_SSL_READ / _WRITE (KiB).
constexpr std::size_t kReadHighWater = 256 * 1024;
constexpr std::size_t kReadLowWater = kReadHighWater / 4;
constexpr long kWriteHighWater = 512 * 1024;
// Plaintext is decrypted into one buffer, a chunk at a time, and handed to
// the user's data_received; records go out to the socket through another.
// Two, because data_received may write (the records must not overwrite the
// data the user is still looking at). One pair per thread (a loop runs on
// one thread), so an idle connection owns no buffer (OpenSSL's are released
// too: SSL_MODE_RELEASE_BUFFERS).
constexpr std::size_t kChunk = 64 * 1024;
char* read_scratch() {
  thread_local std::unique_ptr<char[]> buf(new char[kChunk]);
  return buf.get();
}
char* write_scratch() {
  thread_local std::unique_ptr<char[]> buf(new char[kChunk]);
  return buf.get();
}

}  // namespace

std::string python_float(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  std::string s = buf;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

SSLProtocolImpl::SSLProtocolImpl(EventLoop& loop, SSLContext context, std::shared_ptr<Protocol> app_protocol,
                                 TLSOptions options, bool call_connection_made)
    : loop_ref_(loop.anchor()),
      loop_(loop),
      net_(net_state(loop)),
      context_(std::move(context)),
      options_(std::move(options)) {
  if (!(options_.ssl_handshake_timeout > 0))
    throw ValueError("ssl_handshake_timeout should be a positive number, got " +
                     python_float(options_.ssl_handshake_timeout));
  if (!(options_.ssl_shutdown_timeout > 0))
    throw ValueError("ssl_shutdown_timeout should be a positive number, got " +
                     python_float(options_.ssl_shutdown_timeout));
  if (options_.server_side && !context_.server_side())
    throw ValueError("a server needs an SSLContext made for servers (PROTOCOL_TLS_SERVER, or Purpose::CLIENT_AUTH)");
  if (!options_.server_side && context_.server_side())
    throw ValueError("a client needs an SSLContext made for clients (PROTOCOL_TLS_CLIENT, or Purpose::SERVER_AUTH)");
  if (options_.server_side) options_.server_hostname.clear();
  if (!options_.server_side && context_.check_hostname() && options_.server_hostname.empty())
    throw ValueError("check_hostname requires server_hostname");
  set_protocol(std::move(app_protocol));
  app_flow_.set_limits(kWriteHighWater, -1);
  if (!call_connection_made) app_state_ = AppState::CON_MADE;

  ssl_ = SSL_new(context_.native_handle());
  if (!ssl_) throw_ssl_error("[SSL] could not create an SSL object");
  incoming_ = BIO_new(BIO_s_mem());
  outgoing_ = BIO_new(BIO_s_mem());
  if (!incoming_ || !outgoing_) {
    BIO_free(incoming_);
    BIO_free(outgoing_);
    SSL_free(ssl_);
    throw_ssl_error("[SSL] could not create the memory BIOs");
  }
  // An empty incoming BIO means "no record yet" (retry), never EOF: the end
  // of the stream comes from the socket transport (eof_received).
  BIO_set_mem_eof_return(incoming_, -1);
  BIO_set_mem_eof_return(outgoing_, -1);
  SSL_set_bio(ssl_, incoming_, outgoing_);  // ssl_ owns both now
  if (options_.server_side) {
    SSL_set_accept_state(ssl_);
  } else {
    SSL_set_connect_state(ssl_);
    const std::string& host = options_.server_hostname;
    if (!host.empty()) {
      bool ip = is_ip_address(host);
      // SNI carries names only (RFC 6066), as Python's.
      if (!ip) SSL_set_tlsext_host_name(ssl_, host.c_str());
      if (context_.check_hostname()) {
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) : SSL_set1_host(ssl_, host.c_str());
        if (ok != 1) {
          SSL_free(ssl_);
          ssl_ = nullptr;
          throw_ssl_error("[SSL] invalid server_hostname '" + host + "'");
        }
      }
    }
  }
  net_.resources.insert(this);  // last: nothing above may throw after it
}

SSLProtocolImpl::~SSLProtocolImpl() {
  if (!detached_) net_.resources.erase(this);
  handshake_timer_.cancel();
  shutdown_timer_.cancel();
  SSL_free(ssl_);  // frees both BIOs
}

void SSLProtocolImpl::loop_closing() noexcept {
  detached_ = true;
  handshake_timer_ = TimerHandle();
  shutdown_timer_ = TimerHandle();
  state_ = State::UNWRAPPED;
  closed_ = true;
  auto keep = weak_from_this().lock();  // destroyed last: may free this
  auto app = std::move(app_);
  auto transport = std::move(transport_);
  app_buffered_ = nullptr;
}

std::shared_ptr<SSLProtocolImpl> SSLProtocolImpl::self() {
  return std::static_pointer_cast<SSLProtocolImpl>(shared_from_this());
}

void SSLProtocolImpl::set_protocol(std::shared_ptr<Protocol> protocol) {
  app_ = std::move(protocol);
  app_buffered_ = dynamic_cast<BufferedProtocol*>(app_.get());
}

std::size_t SSLProtocolImpl::get_read_buffer_size() const noexcept { return ssl_ ? BIO_ctrl_pending(incoming_) : 0; }

std::size_t SSLProtocolImpl::get_write_buffer_size() const noexcept {
  return (ssl_ ? BIO_ctrl_pending(outgoing_) : 0) + backlog_.size();
}

// ---- the handshake ------------------------------------------------------------------

void SSLProtocolImpl::connection_made(Transport& transport) {
  transport_ = std::static_pointer_cast<Transport>(transport.shared_from_this());
  start_handshake();
}

void SSLProtocolImpl::start_handshake() {
  state_ = State::DO_HANDSHAKE;
  std::weak_ptr<SSLProtocolImpl> weak = self();
  handshake_timer_ = loop_.call_later(
      options_.ssl_handshake_timeout,
      [weak] {
        if (auto p = weak.lock()) p->check_handshake_timeout();
      },
      "ssl handshake timeout");
  do_handshake();
}

void SSLProtocolImpl::check_handshake_timeout() {
  if (state_ != State::DO_HANDSHAKE) return;
  // asyncio's exception and words (CPython 3.11+: ConnectionAbortedError).
  fatal_error(std::make_exception_ptr(ConnectionAbortedError(
                  ECONNABORTED, "SSL handshake is taking longer than " + python_float(options_.ssl_handshake_timeout) +
                                    " seconds: aborting the connection")),
              "SSL handshake timed out");
}

void SSLProtocolImpl::do_handshake() {
  ERR_clear_error();
  int r = SSL_do_handshake(ssl_);
  if (r == 1) {
    on_handshake_complete(nullptr);
    return;
  }
  int err = SSL_get_error(ssl_, r);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
    process_outgoing();
    return;
  }
  on_handshake_complete(make_ssl_error(err, ssl_, options_.server_hostname));
}

void SSLProtocolImpl::on_handshake_complete(std::exception_ptr exc) {
  handshake_timer_.cancel();
  if (exc) {
    state_ = State::UNWRAPPED;
    bool cert = false;
    try {
      std::rethrow_exception(exc);
    } catch (const SSLCertVerificationError&) {
      cert = true;
    } catch (...) {
    }
    // The client's failure raises from create_connection. A server's
    // concerns one connection that nobody awaits; like asyncio, it reaches
    // the loop's exception handler only in debug mode (an SSLError is an
    // OSError): port scanners and clients that give up would otherwise
    // flood the log of any public server.
    fatal_error(exc, cert ? "SSL handshake failed on verifying the certificate" : "SSL handshake failed");
    settle_handshake(exc);
    return;
  }
  state_ = State::WRAPPED;
  auto keep = self();
  if (app_state_ == AppState::INIT) {
    app_state_ = AppState::CON_MADE;
    auto app = app_;
    try {
      app->connection_made(*this);
    } catch (...) {
      fatal_error(std::current_exception(), "Fatal error: protocol.connection_made() call failed.");
      settle_handshake(fatal_exc_);
      return;
    }
  }
  settle_handshake(nullptr);
  do_read();
}

void SSLProtocolImpl::settle_handshake(std::exception_ptr exc) {
  if (handshake_settled_) return;
  handshake_settled_ = true;
  handshake_exc_ = std::move(exc);
  handshake_lot_.wake();
}

Task<void> SSLProtocolImpl::wait_handshake() {
  auto keep = self();
  try {
    while (!handshake_settled_) co_await IoWait{&handshake_lot_, "ssl handshake"};
  } catch (const CancelledError&) {
    abort();  // asyncio: `except: transport.close(); raise` (a handshake cannot be closed cleanly)
    throw;
  }
  if (handshake_exc_) std::rethrow_exception(handshake_exc_);
}

// ---- shutdown -----------------------------------------------------------------------

void SSLProtocolImpl::close() {
  if (closed_) return;
  closed_ = true;
  start_shutdown();
}

void SSLProtocolImpl::start_shutdown() {
  if (state_ == State::FLUSHING || state_ == State::SHUTDOWN || state_ == State::UNWRAPPED) return;
  closed_ = true;
  if (state_ == State::DO_HANDSHAKE) {
    abort();
    return;
  }
  state_ = State::FLUSHING;
  std::weak_ptr<SSLProtocolImpl> weak = self();
  shutdown_timer_ = loop_.call_later(
      options_.ssl_shutdown_timeout,
      [weak] {
        auto p = weak.lock();
        if (!p || (p->state_ != State::FLUSHING && p->state_ != State::SHUTDOWN)) return;
        // asyncio: the transport is force-closed with this (not reported to
        // the exception handler; the user's connection_lost gets it).
        if (!p->fatal_exc_) p->fatal_exc_ = std::make_exception_ptr(TimeoutError("SSL shutdown timed out"));
        if (p->transport_) p->transport_->abort();
      },
      "ssl shutdown timeout");
  do_flush();
}

void SSLProtocolImpl::do_flush() {
  // What the user wrote before close() goes out before the close_notify.
  if (!backlog_.empty()) do_write();
  do_read();
  if (state_ != State::FLUSHING) return;  // a callback aborted
  state_ = State::SHUTDOWN;
  do_shutdown();
}

void SSLProtocolImpl::do_shutdown() {
  if (!eof_received_) {
    ERR_clear_error();
    int r = SSL_shutdown(ssl_);
    if (r == 0) {
      // Our close_notify is written; the peer's has not arrived yet.
      process_outgoing();
      return;
    }
    if (r < 0) {
      int err = SSL_get_error(ssl_, r);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        process_outgoing();
        return;
      }
      on_shutdown_complete(make_ssl_error(err, ssl_, options_.server_hostname));
      return;
    }
  }
  process_outgoing();
  call_eof_received();
  on_shutdown_complete(nullptr);
}

void SSLProtocolImpl::on_shutdown_complete(std::exception_ptr exc) {
  shutdown_timer_.cancel();
  if (exc) {
    fatal_error(exc, "Fatal error on SSL protocol");
    return;
  }
  // Closed on the next iteration, as asyncio: the socket transport sends the
  // close_notify still in its buffer first.
  if (auto t = transport_) loop_.call_soon([t] { t->close(); }, "ssl close");
}

void SSLProtocolImpl::abort() {
  closed_ = true;
  state_ = State::UNWRAPPED;
  if (transport_) transport_->abort();
}

void SSLProtocolImpl::write_eof() { throw NotImplementedError("SSL doesn't support half-closes"); }

// ---- writing ------------------------------------------------------------------------

void SSLProtocolImpl::write(std::string_view data) {
  if (data.empty()) return;
  if (state_ == State::FLUSHING || state_ == State::SHUTDOWN || state_ == State::UNWRAPPED) {
    drop_lost_write(conn_lost_writes_);
    return;
  }
  backlog_.append(data.data(), data.size());
  if (state_ != State::WRAPPED) return;
  try {
    do_write();
  } catch (...) {
    fatal_error(std::current_exception(), "Fatal error on SSL protocol");
  }
}

void SSLProtocolImpl::do_write() {
  // A memory BIO never refuses a record, so SSL_write takes everything but
  // during a handshake or a renegotiation (WANT_READ): what is left waits
  // in the backlog until the peer's records arrive.
  std::size_t done = 0;
  while (done < backlog_.size()) {
    ERR_clear_error();
    std::size_t n = 0;
    int r = SSL_write_ex(ssl_, backlog_.data() + done, backlog_.size() - done, &n);
    if (r == 1) {
      done += n;
      continue;
    }
    int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) break;
    backlog_.erase(0, done);
    std::rethrow_exception(make_ssl_error(err, ssl_, options_.server_hostname));
  }
  if (done == backlog_.size()) {
    backlog_.clear();
    if (backlog_.capacity() > kChunk) backlog_.shrink_to_fit();
  } else {
    backlog_.erase(0, done);
  }
  process_outgoing();
}

void SSLProtocolImpl::process_outgoing() {
  if (!ssl_writing_paused_ && transport_) {
    char* buf = write_scratch();
    for (;;) {
      int n = BIO_read(outgoing_, buf, static_cast<int>(kChunk));
      if (n <= 0) break;
      transport_->write(std::string_view(buf, static_cast<std::size_t>(n)));
      // The socket transport paused us (its buffer is full): the rest waits
      // in `outgoing`, where it counts towards the user's pause_writing.
      if (ssl_writing_paused_) break;
    }
  }
  control_app_writing();
}

void SSLProtocolImpl::resume_writing() {
  ssl_writing_paused_ = false;
  process_outgoing();
}

void SSLProtocolImpl::control_app_writing() {
  std::size_t size = get_write_buffer_size();
  app_flow_.maybe_pause(size, app_, loop_, *this);
  app_flow_.maybe_resume(size, app_, loop_, *this);
}

void SSLProtocolImpl::set_write_buffer_limits(long high, long low) {
  app_flow_.set_limits(high, low);
  control_app_writing();
}

// ---- reading ------------------------------------------------------------------------

void SSLProtocolImpl::data_received(std::string_view data) {
  if (state_ == State::UNWRAPPED || !ssl_) return;  // aborted: the rest is dropped with the connection
  BIO_write(incoming_, data.data(), static_cast<int>(data.size()));
  dispatch_by_state();
}

void SSLProtocolImpl::dispatch_by_state() {
  switch (state_) {
    case State::DO_HANDSHAKE:
      do_handshake();
      break;
    case State::WRAPPED:
      do_read();
      break;
    case State::FLUSHING:
      do_flush();
      break;
    case State::SHUTDOWN:
      do_shutdown();
      break;
    case State::UNWRAPPED:
      break;
  }
}

bool SSLProtocolImpl::eof_received() {
  eof_received_ = true;
  switch (state_) {
    case State::DO_HANDSHAKE:
      on_handshake_complete(std::make_exception_ptr(
          ConnectionResetError(ECONNRESET, "Connection lost during the SSL handshake (the peer closed it)")));
      break;
    case State::WRAPPED:
      state_ = State::FLUSHING;
      // Paused: the plaintext still in `incoming` is delivered on
      // resume_reading(), and the socket stays open for it until then.
      if (app_reading_paused_) return true;
      do_flush();
      break;
    case State::FLUSHING:
      if (!backlog_.empty()) do_write();
      state_ = State::SHUTDOWN;
      do_shutdown();
      break;
    case State::SHUTDOWN:
      do_shutdown();
      break;
    case State::UNWRAPPED:
      break;
  }
  return false;
}

void SSLProtocolImpl::resume_reading() {
  if (!app_reading_paused_) return;
  app_reading_paused_ = false;
  std::weak_ptr<SSLProtocolImpl> weak = self();
  loop_.call_soon(
      [weak] {
        if (auto p = weak.lock()) p->dispatch_by_state();
      },
      "ssl resume_reading");
}

void SSLProtocolImpl::do_read() {
  if (state_ != State::WRAPPED && state_ != State::FLUSHING) return;
  auto keep = self();  // a callback may drop the last reference to us
  try {
    // Not again from inside the user's data_received (close() there flushes,
    // which reads): the outer read goes on with what is left, and the data
    // the user was handed stays intact.
    if (!app_reading_paused_ && !in_read_) {
      in_read_ = true;
      struct Reset {
        bool& flag;
        ~Reset() { flag = false; }
      } reset{in_read_};
      if (app_buffered_)
        do_read_buffered();
      else
        do_read_copied();
      if (!transport_ || state_ == State::UNWRAPPED) return;
      if (!backlog_.empty())
        do_write();
      else
        process_outgoing();
    }
    control_ssl_reading();
  } catch (...) {
    fatal_error(std::current_exception(), "Fatal error on SSL protocol");
  }
}

void SSLProtocolImpl::do_read_copied() {
  char* buf = read_scratch();
  for (;;) {
    if (app_reading_paused_ || (state_ != State::WRAPPED && state_ != State::FLUSHING)) return;
    ERR_clear_error();
    std::size_t n = 0;
    int r = SSL_read_ex(ssl_, buf, kChunk, &n);
    if (r == 1) {
      auto app = app_;
      try {
        app->data_received(std::string_view(buf, n));
      } catch (...) {
        fatal_error(std::current_exception(), "Fatal error: protocol.data_received() call failed.");
        return;
      }
      continue;
    }
    int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return;
    if (err == SSL_ERROR_ZERO_RETURN) {  // the peer's close_notify
      call_eof_received();
      start_shutdown();
      return;
    }
    std::rethrow_exception(make_ssl_error(err, ssl_, options_.server_hostname));
  }
}

void SSLProtocolImpl::do_read_buffered() {
  for (;;) {
    if (app_reading_paused_ || (state_ != State::WRAPPED && state_ != State::FLUSHING)) return;
    // Nothing decryptable may be there: ask for a buffer only when a whole
    // record could be (or is being) read, so get_buffer is not called for
    // nothing on every partial record.
    if (SSL_pending(ssl_) == 0 && BIO_ctrl_pending(incoming_) == 0) return;
    BufferedProtocol* buffered = app_buffered_;
    auto app = app_;
    std::span<char> span;
    try {
      span = buffered->get_buffer(static_cast<long>(BIO_ctrl_pending(incoming_)));
    } catch (...) {
      fatal_error(std::current_exception(), "Fatal error: protocol.get_buffer() call failed.");
      return;
    }
    if (span.empty()) {
      fatal_error(std::make_exception_ptr(RuntimeError("get_buffer() returned an empty buffer")),
                  "Fatal error: protocol.get_buffer() call failed.");
      return;
    }
    std::size_t filled = 0;
    int err = SSL_ERROR_NONE;
    while (filled < span.size()) {
      ERR_clear_error();
      std::size_t n = 0;
      int r = SSL_read_ex(ssl_, span.data() + filled, span.size() - filled, &n);
      if (r != 1) {
        err = SSL_get_error(ssl_, r);
        break;
      }
      filled += n;
    }
    if (filled > 0) {
      try {
        buffered->buffer_updated(filled);
      } catch (...) {
        fatal_error(std::current_exception(), "Fatal error: protocol.buffer_updated() call failed.");
        return;
      }
    }
    if (err == SSL_ERROR_NONE) continue;  // the buffer is full: another one
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return;
    if (err == SSL_ERROR_ZERO_RETURN) {
      call_eof_received();
      start_shutdown();
      return;
    }
    std::rethrow_exception(make_ssl_error(err, ssl_, options_.server_hostname));
  }
}

void SSLProtocolImpl::call_eof_received() {
  if (app_state_ != AppState::CON_MADE) return;
  app_state_ = AppState::EOF_;
  auto app = app_;
  try {
    if (app->eof_received())
      std::fputs("aio: returning true from eof_received() has no effect when using ssl\n", stderr);
  } catch (...) {
    fatal_error(std::current_exception(), "Error calling eof_received()");
  }
}

void SSLProtocolImpl::control_ssl_reading() {
  if (!transport_) return;
  std::size_t size = get_read_buffer_size();
  if (size >= kReadHighWater && !ssl_reading_paused_) {
    ssl_reading_paused_ = true;
    transport_->pause_reading();
  } else if (size <= kReadLowWater && ssl_reading_paused_) {
    ssl_reading_paused_ = false;
    transport_->resume_reading();
  }
}

// ---- losing the connection ----------------------------------------------------------

void SSLProtocolImpl::fatal_error(std::exception_ptr exc, const char* message) {
  if (!fatal_exc_) fatal_exc_ = exc;
  closed_ = true;
  // Nothing more is read or written; the user's connection_lost still
  // comes (from ours) if connection_made did.
  state_ = State::UNWRAPPED;
  if (transport_) transport_->abort();
  // asyncio reports OSErrors (SSLError is one) only in debug mode: a peer
  // that resets or speaks bad TLS is the peer's business.
  // As asyncio's: 'transport' is the socket's, 'protocol' this TLS layer.
  if (!is_os_error(exc) || loop_.get_debug())
    report_error(loop_, message, exc, transport_.get(), static_cast<const Protocol*>(this));
}

void SSLProtocolImpl::connection_lost(std::exception_ptr exc) {
  if (!exc) exc = fatal_exc_;
  backlog_.clear();
  if (ssl_) (void)BIO_reset(outgoing_);
  closed_ = true;
  if (state_ != State::DO_HANDSHAKE && (app_state_ == AppState::CON_MADE || app_state_ == AppState::EOF_)) {
    app_state_ = AppState::CON_LOST;
    auto keep = self();
    auto app = app_;
    // On the next iteration, as asyncio: after the socket transport's own
    // connection_lost has finished.
    loop_.call_soon(
        [keep, app, exc] {
          // Dropped first, as the socket transport does: a protocol that
          // keeps its transport must not keep itself alive through it.
          keep->app_.reset();
          keep->app_buffered_ = nullptr;
          try {
            app->connection_lost(exc);
          } catch (...) {
            report_error(keep->loop_, "Exception in callback protocol.connection_lost()", std::current_exception());
          }
        },
        "ssl connection_lost");
  } else if (app_state_ == AppState::INIT) {
    // Lost in the handshake: the user's protocol never saw the connection.
    app_.reset();
    app_buffered_ = nullptr;
  }
  state_ = State::UNWRAPPED;
  settle_handshake(
      exc ? exc
          : std::make_exception_ptr(ConnectionResetError(ECONNRESET, "Connection lost during the SSL handshake")));
  handshake_timer_.cancel();
  shutdown_timer_.cancel();
}

// ---- get_extra_info -----------------------------------------------------------------

std::any SSLProtocolImpl::get_extra_info(std::string_view name) const {
  if (name == "sslcontext") return context_;
  if (state_ == State::WRAPPED || state_ == State::FLUSHING || state_ == State::SHUTDOWN ||
      (state_ == State::UNWRAPPED && SSL_is_init_finished(ssl_))) {
    SSLObject object(ssl_, options_.server_side, options_.server_hostname);
    if (name == "ssl_object") return object;
    if (name == "peercert") {
      auto cert = object.getpeercert();
      return cert ? std::any(*cert) : std::any();
    }
    if (name == "cipher") {
      auto cipher = object.cipher();
      return cipher ? std::any(*cipher) : std::any();
    }
    if (name == "compression") return {};  // OpenSSL 3 negotiates none (Python: None)
  }
  if (transport_) return transport_->get_extra_info(name);
  return {};
}

}  // namespace aio::net::detail

namespace aio {

Task<std::shared_ptr<Transport>> start_tls(std::shared_ptr<Transport> transport, std::shared_ptr<Protocol> protocol,
                                           SSLContext sslcontext, TLSOptions options) {
  using net::detail::SSLProtocolImpl;
  using net::detail::StreamTransportImpl;
  EventLoop& loop = get_running_loop();
  if (!transport || !protocol) throw TypeError("start_tls() needs a transport and a protocol (got null)");
  auto* socket = dynamic_cast<StreamTransportImpl*>(transport.get());
  bool compatible = (socket && socket->kind() == StreamTransportImpl::socket) ||
                    dynamic_cast<SSLProtocolImpl*>(transport.get()) != nullptr;
  if (!compatible) throw TypeError("transport is not supported by start_tls(): it needs a socket transport");
  if (transport->is_closing()) throw RuntimeError("start_tls(): the transport is closing");
  auto layer =
      std::make_shared<SSLProtocolImpl>(loop, std::move(sslcontext), protocol, options, /*call_connection_made=*/false);
  // As asyncio: nothing the old protocol did not read yet goes to it now;
  // the TLS layer takes the connection over on the next iteration.
  transport->pause_reading();
  transport->set_protocol(layer);
  Handle made = loop.call_soon([layer, transport] { layer->connection_made(*transport); }, "start_tls");
  Handle resume = loop.call_soon([transport] { transport->resume_reading(); }, "start_tls resume_reading");
  std::exception_ptr failed;
  try {
    auto handshake = layer->wait_handshake();
    co_await handshake;
  } catch (...) {
    failed = std::current_exception();
  }
  if (failed) {
    transport->close();
    made.cancel();
    resume.cancel();
    std::rethrow_exception(failed);
  }
  co_return std::static_pointer_cast<Transport>(layer);
}

}  // namespace aio
