// asyncio's streams.py: StreamReader, StreamReaderProtocol, StreamWriter,
// open_connection, start_server. The algorithms (readuntil's search offset,
// the 2 * limit pause threshold, readline's recovery from an overrun) follow
// CPython line by line.
#include "aio/net/streams.hpp"

#include <algorithm>
#include <span>

#include "aio/net/io.hpp"
#include "aio/sleep.hpp"
#include "internal.hpp"

namespace aio {

// ---- StreamReader ---------------------------------------------------------------

void StreamReader::wakeup_waiter() noexcept { waiter_.wake(); }

void StreamReader::consume(std::size_t n) noexcept {
  start_ += n;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
    // An idle connection keeps no buffer (the read buffer is the loop's).
    if (buffer_.capacity() > 4096) buffer_.shrink_to_fit();
  } else if (start_ > 4096 && start_ > buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
}

std::string StreamReader::take(std::size_t n) {
  std::string out(view().substr(0, n));
  consume(out.size());
  return out;
}

void StreamReader::maybe_resume_transport() {
  if (paused_ && size() <= limit_) {
    paused_ = false;
    if (transport_) transport_->resume_reading();
  }
}

void StreamReader::feed_eof() {
  eof_ = true;
  wakeup_waiter();
}

void StreamReader::feed_data(std::string_view data) {
  if (eof_) throw AssertionError("feed_data after feed_eof");
  if (data.empty()) return;
  buffer_.append(data.data(), data.size());
  wakeup_waiter();
  if (transport_ && !paused_ && size() > 2 * limit_) {
    transport_->pause_reading();
    paused_ = true;
  }
}

void StreamReader::set_exception(std::exception_ptr exc) {
  exc_ = std::move(exc);
  // asyncio fails only the waiter future still pending: a read that data or
  // EOF woke already returns what it was woken for, and the next read raises.
  if (waiter_.waiting()) wake_exc_ = exc_;
  wakeup_waiter();
}

void StreamReader::rethrow_wake_error() {
  if (auto exc = std::exchange(wake_exc_, nullptr)) std::rethrow_exception(exc);
}

net::detail::IoWait StreamReader::wait_for_data(const char* func_name) {
  // asyncio: "StreamReader uses a future to link the protocol feed_data()
  // method to a read coroutine. Running two read coroutines at the same time
  // would have an unexpected behaviour."
  if (waiting_ && waiter_.waiting())
    throw RuntimeError(std::string(func_name) + "() called while another coroutine is already waiting for incoming data",
                       "read from one task at a time");
  if (eof_) throw RuntimeError("_wait_for_data after EOF");
  // Paused and nothing to read: resume, or we would wait forever.
  if (paused_) {
    paused_ = false;
    if (transport_) transport_->resume_reading();
  }
  waiting_ = func_name;
  wake_exc_ = nullptr;  // left by a read woken with an error but cancelled before it ran
  return net::detail::IoWait{&waiter_, "stream read"};
}

Task<std::string> StreamReader::readuntil(std::string separator) {
  return readuntil_any(std::move(separator), {}, false);
}

Task<std::string> StreamReader::readuntil(std::vector<std::string> separators) {
  return readuntil_any({}, std::move(separators), true);
}

Task<std::string> StreamReader::readuntil_any(std::string one, std::vector<std::string> several, bool listed) {
  if (listed) {
    if (several.empty()) throw ValueError("Separator should contain at least one element");
    // CPython 3.13 sorts the separators by length (a stable sort): of two
    // matches that end at the same byte, the shorter separator, first here,
    // is the one that matched.
    std::stable_sort(several.begin(), several.end(),
                     [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
  }
  const std::span<const std::string> separators =
      listed ? std::span<const std::string>(several) : std::span<const std::string>(&one, 1);
  const std::size_t min_seplen = separators.front().size();
  const std::size_t max_seplen = separators.back().size();
  if (min_seplen == 0) throw ValueError("Separator should be at least one-byte string");
  if (exc_) std::rethrow_exception(exc_);
  // The offset of the buffer where the separator search resumes: no
  // separator starts before it (one that did would have ended in the bytes
  // searched already).
  std::size_t offset = 0;
  std::size_t match_start = 0;
  std::size_t match_end = 0;
  for (;;) {
    const std::size_t buflen = size();
    if (buflen - offset >= min_seplen) {
      bool found = false;
      for (const std::string& sep : separators) {
        const std::size_t isep = view().find(sep, offset);
        if (isep == std::string_view::npos) continue;
        // The earliest end wins; on a tie the one found first (the shorter).
        if (!found || isep + sep.size() < match_end) {
          found = true;
          match_start = isep;
          match_end = isep + sep.size();
        }
      }
      if (found) break;
      // The last max_seplen - 1 bytes may be the start of a separator still
      // arriving: searched again next time.
      offset = buflen + 1 > max_seplen ? buflen + 1 - max_seplen : 0;
      if (offset > limit_) throw LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
    }
    // The buffer is searched before EOF is checked: the last data may have
    // completed a separator.
    if (eof_) {
      std::string chunk(view());
      consume(chunk.size());
      throw IncompleteReadError(std::move(chunk), std::nullopt);
    }
    co_await wait_for_data("readuntil");
    waiting_ = nullptr;
    rethrow_wake_error();
  }
  if (match_start > limit_) throw LimitOverrunError("Separator is found, but chunk is longer than limit", match_start);
  std::string chunk = take(match_end);
  maybe_resume_transport();
  co_return chunk;
}

Task<std::string> StreamReader::readline() {
  std::string line;
  std::exception_ptr overrun;
  std::size_t consumed = 0;
  try {
    std::string sep = "\n";
    line = co_await readuntil(sep);
    co_return line;
  } catch (IncompleteReadError& e) {
    co_return std::move(e.partial);
  } catch (const LimitOverrunError& e) {
    overrun = std::current_exception();
    consumed = e.consumed;
  }
  // Drop the oversized line (or everything, if its end is not here yet).
  if (view().substr(consumed).starts_with("\n"))
    consume(consumed + 1);
  else
    consume(size());
  maybe_resume_transport();
  throw ValueError(exception_message(overrun), "the line is longer than the reader's limit of " +
                                                  std::to_string(limit_) + " bytes: open the stream with a larger limit");
}

Task<std::string> StreamReader::read(long n) {
  if (exc_) std::rethrow_exception(exc_);
  if (n == 0) co_return std::string();
  if (n < 0) {
    // Read until EOF, a limit-sized block at a time (asyncio does the same, so
    // the transport is paused and resumed as usual).
    std::string all;
    for (;;) {
      auto reading = read(static_cast<long>(limit_));
      std::string block = co_await reading;
      if (block.empty()) break;
      all += block;
    }
    co_return all;
  }
  if (size() == 0 && !eof_) {
    co_await wait_for_data("read");
    waiting_ = nullptr;
    rethrow_wake_error();
  }
  std::string data = take(static_cast<std::size_t>(n));
  maybe_resume_transport();
  co_return data;
}

Task<std::string> StreamReader::readexactly(long count) {
  if (count < 0) throw ValueError("readexactly size can not be less than zero", "pass a byte count of 0 or more (got " + std::to_string(count) + ")");
  if (exc_) std::rethrow_exception(exc_);
  const auto n = static_cast<std::size_t>(count);
  if (n == 0) co_return std::string();
  while (size() < n) {
    if (eof_) {
      std::string incomplete(view());
      consume(incomplete.size());
      throw IncompleteReadError(std::move(incomplete), n);
    }
    co_await wait_for_data("readexactly");
    waiting_ = nullptr;
    rethrow_wake_error();
  }
  std::string data = take(n);
  maybe_resume_transport();
  co_return data;
}

AsyncGenerator<std::string> StreamReader::lines() {
  for (;;) {
    std::string line = co_await readline();
    if (line.empty()) co_return;
    co_yield std::move(line);
  }
}

// ---- StreamReaderProtocol -------------------------------------------------------

StreamReaderProtocol::StreamReaderProtocol(std::shared_ptr<StreamReader> reader, ClientConnected client_connected_cb)
    : reader_(std::move(reader)), client_connected_cb_(std::move(client_connected_cb)) {}

void StreamReaderProtocol::connection_made(Transport& transport) {
  // The transport is owned by the loop until connection_lost; keep it too.
  auto* impl = &transport;
  transport_ = std::static_pointer_cast<Transport>(transport.shared_from_this());
  // asyncio: a TLS transport cannot half-close, so EOF closes it.
  over_ssl_ = transport.get_extra_info("sslcontext").has_value();
  if (reader_) reader_->set_transport(impl);
  if (client_connected_cb_) {
    auto self = shared_from_this();
    auto writer = std::make_shared<StreamWriter>(transport_, self, reader_);
    if (!client_connected_cb_.is_coroutine()) {
      // A plain function, as asyncio calls it: here, with what it raises
      // propagating out of connection_made (to the loop's exception handler,
      // "Exception in callback connection_made"). The writer lives as long as
      // the callback keeps a reference to it; when it keeps none, the
      // connection closes (StreamWriter's destructor, asyncio 3.12+'s __del__).
      client_connected_cb_.call_plain(reader_, std::move(writer));
      return;
    }
    auto task = create_task(client_connected_cb_.call_coroutine(reader_, writer));
    // asyncio 3.12: a handler that raises closes the connection, and the error
    // goes to the loop's exception handler.
    std::weak_ptr<StreamReaderProtocol> weak = self;
    task.add_done_callback([weak, writer](Task<void>& t) {
      if (t.cancelled()) {
        writer->transport().close();
        return;
      }
      if (auto exc = t.exception()) {
        net::detail::report_error(t.get_loop(), "Unhandled exception in client_connected_cb", exc, &writer->transport(),
                                  nullptr);
        writer->transport().close();
      }
    });
  }
}

void StreamReaderProtocol::connection_lost(std::exception_ptr exc) {
  if (reader_) {
    const bool waited_on = reader_->has_waiter();
    if (exc)
      reader_->set_exception(exc);
    else
      reader_->feed_eof();
    reader_->set_transport(nullptr);
    // The transport drops this protocol (and maybe the last reference to the
    // reader) when this returns, but the read just woken still has to run on
    // the reader: when nobody else holds it (a pending read whose caller
    // dropped the reader and writer, e.g. a StreamWriter closing the
    // connection as it goes), keep it until that read has had its turn
    // (queued after it).
    if (waited_on)
      if (auto* loop = try_get_running_loop()) loop->call_soon([keep = reader_] {}, "reader kept for its waiter");
  }
  connection_lost_ = true;
  lost_exc_ = exc;
  drain_waiters_.wake();
  closed_.set();
  transport_.reset();
}

void StreamReaderProtocol::data_received(std::string_view data) {
  if (reader_) reader_->feed_data(data);
}

bool StreamReaderProtocol::eof_received() {
  if (reader_) reader_->feed_eof();
  // Keep the connection open for writing (half-close), but over TLS, which
  // has none.
  return !over_ssl_;
}

void StreamReaderProtocol::pause_writing() { paused_ = true; }

void StreamReaderProtocol::resume_writing() {
  paused_ = false;
  drain_waiters_.wake();
}

Task<void> StreamReaderProtocol::drain_helper() {
  if (connection_lost_) throw ConnectionResetError(ECONNRESET, "Connection lost (the peer closed or reset it)");
  if (!paused_) co_return;
  while (paused_ && !connection_lost_) co_await net::detail::IoWait{&drain_waiters_, "drain"};
  // As asyncio's drain waiters: resume_writing resolves them, and so does
  // connection_lost, with its exception or, for a clean close (everything
  // sent, or abort()), with no error. A transport that flushes its buffer and
  // then closes does both before this runs: resumed first, so it returns.
  if (!paused_) co_return;
  if (lost_exc_) std::rethrow_exception(lost_exc_);
}

void StreamReaderProtocol::replace_transport(std::shared_ptr<Transport> transport) {
  transport_ = std::move(transport);
  over_ssl_ = transport_->get_extra_info("sslcontext").has_value();
  if (reader_) reader_->set_transport(transport_.get());
}

Task<void> StreamReaderProtocol::wait_closed() {
  if (!closed_.is_set()) co_await closed_.wait();
  if (lost_exc_) std::rethrow_exception(lost_exc_);
}

// ---- StreamWriter ---------------------------------------------------------------

StreamWriter::StreamWriter(std::shared_ptr<Transport> transport, std::shared_ptr<StreamReaderProtocol> protocol,
                           std::shared_ptr<StreamReader> reader)
    : transport_(std::move(transport)), protocol_(std::move(protocol)), reader_(std::move(reader)) {}

StreamWriter::~StreamWriter() {
  // Without this, a client_connected_cb that returns without close() leaks
  // its connection: after the peer's EOF the protocol keeps the transport
  // open for writing (half-close), and nothing would ever close it.
  if (!transport_ || transport_->is_closing()) return;
  try {
    transport_->close();
  } catch (...) {
    // The loop is closed already: its teardown closes the fd.
  }
}

Task<void> StreamWriter::drain() {
  // Locals, not members: a drain still pending must not depend on the
  // writer object staying alive.
  auto protocol = protocol_;
  auto transport = transport_;
  if (reader_)
    if (auto exc = reader_->exception()) std::rethrow_exception(exc);
  // Closing: let connection_lost run first, so drain raises when it should.
  if (transport->is_closing()) co_await sleep(0);
  co_await protocol->drain_helper();
}

Task<void> StreamWriter::start_tls(SSLContext sslcontext, TLSOptions options) {
  auto protocol = protocol_;
  options.server_side = protocol->server_side();
  auto draining = drain();
  co_await draining;
  auto upgrading = aio::start_tls(transport_, protocol, std::move(sslcontext), options);
  auto transport = co_await upgrading;
  transport_ = transport;
  protocol->replace_transport(std::move(transport));
}

Task<void> StreamWriter::wait_closed() {
  auto protocol = protocol_;
  co_await protocol->wait_closed();
}

// ---- open_connection / start_server -----------------------------------------------

namespace {
Streams make_streams(std::pair<std::shared_ptr<Transport>, std::shared_ptr<Protocol>> tp,
                     const std::shared_ptr<StreamReader>& reader) {
  auto protocol = std::static_pointer_cast<StreamReaderProtocol>(tp.second);
  auto writer = std::make_shared<StreamWriter>(tp.first, protocol, reader);
  return Streams(reader, writer);
}

// start_server's protocols: a StreamReader per connection, handed with its
// writer to the callback.
ProtocolFactory serving_streams(ClientConnectedCallback client_connected_cb, std::size_t limit) {
  return [cb = std::move(client_connected_cb), limit] {
    return std::make_shared<StreamReaderProtocol>(std::make_shared<StreamReader>(limit), cb);
  };
}

// Every open_* is this; only the transport's create_* call differs.
template <class Connect>
Task<Streams> open_streams(std::size_t limit, Connect connect) {
  auto reader = std::make_shared<StreamReader>(limit);
  ProtocolFactory factory = [reader] { return std::make_shared<StreamReaderProtocol>(reader); };
  auto connecting = connect(std::move(factory));
  auto tp = co_await connecting;
  co_return make_streams(std::move(tp), reader);
}
}  // namespace

Task<Streams> open_connection(std::string host, int port, std::size_t limit) {
  return open_connection(std::move(host), port, ConnectionOptions{}, limit);
}

Task<Streams> open_connection(std::string host, int port, ConnectionOptions options, std::size_t limit) {
  return open_streams(limit, [host = std::move(host), port, options = std::move(options)](ProtocolFactory f) mutable {
    return create_connection(std::move(f), std::move(host), port, std::move(options));
  });
}

Task<Streams> open_connection(ConnectionOptions options, std::size_t limit) {
  return open_streams(limit, [options = std::move(options)](ProtocolFactory f) mutable {
    return create_connection(std::move(f), std::move(options));
  });
}

Task<Streams> open_unix_connection(std::string path, ConnectionOptions options, std::size_t limit) {
  return open_streams(limit, [path = std::move(path), options = std::move(options)](ProtocolFactory f) mutable {
    return create_unix_connection(std::move(f), std::move(path), std::move(options));
  });
}

Task<Streams> open_unix_connection(ConnectionOptions options, std::size_t limit) {
  return open_streams(limit, [options = std::move(options)](ProtocolFactory f) mutable {
    return create_unix_connection(std::move(f), std::move(options));
  });
}

Task<Streams> open_unix_connection(std::string path, std::size_t limit) {
  return open_unix_connection(std::move(path), ConnectionOptions{}, limit);
}

Task<std::shared_ptr<Server>> start_server(ClientConnectedCallback client_connected_cb, std::string host, int port,
                                           std::size_t limit, ServerOptions options) {
  return create_server(serving_streams(std::move(client_connected_cb), limit), std::move(host), port,
                       std::move(options));
}

Task<std::shared_ptr<Server>> start_server(ClientConnectedCallback client_connected_cb, std::vector<std::string> hosts,
                                           int port, std::size_t limit, ServerOptions options) {
  return create_server(serving_streams(std::move(client_connected_cb), limit), std::move(hosts), port,
                       std::move(options));
}

Task<std::shared_ptr<Server>> start_server(ClientConnectedCallback client_connected_cb, ServerOptions options,
                                           std::size_t limit) {
  return create_server(serving_streams(std::move(client_connected_cb), limit), std::move(options));
}

Task<std::shared_ptr<Server>> start_unix_server(ClientConnectedCallback client_connected_cb, std::string path,
                                                std::size_t limit, ServerOptions options) {
  return create_unix_server(serving_streams(std::move(client_connected_cb), limit), std::move(path),
                            std::move(options));
}

Task<std::shared_ptr<Server>> start_unix_server(ClientConnectedCallback client_connected_cb, ServerOptions options,
                                                std::size_t limit) {
  return create_unix_server(serving_streams(std::move(client_connected_cb), limit), std::move(options));
}

}  // namespace aio
