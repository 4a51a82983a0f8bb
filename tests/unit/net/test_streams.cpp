// Streams: open_connection / start_server, StreamReader's reads across many
// small segments, limits, EOF, drain and backpressure.
#include <gtest/gtest.h>

#include <sys/un.h>

#include <any>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "net_test_util.hpp"

namespace {

aio::Task<void> echo_handler(std::shared_ptr<aio::StreamReader> reader, std::shared_ptr<aio::StreamWriter> writer) {
  for (;;) {
    std::string line = co_await reader->readline();
    if (line.empty()) break;
    writer->write(line);
    co_await writer->drain();
  }
  writer->close();
  co_await writer->wait_closed();
}

aio::Task<std::vector<std::string>> echo_roundtrip() {
  auto server = co_await aio::start_server(echo_handler, "127.0.0.1", 0);
  int port = server->sockname().port;
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  std::vector<std::string> got;
  for (int i = 0; i < 3; ++i) {
    writer->write("line " + std::to_string(i) + "\n");
    co_await writer->drain();
    got.push_back(co_await reader->readline());
  }
  writer->write_eof();
  std::string rest = co_await reader->read();
  got.push_back("rest=" + rest);
  EXPECT_TRUE(reader->at_eof());
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
  co_return got;
}

TEST(Streams, EchoRoundTrip) {
  auto got = nettest::run(echo_roundtrip());
  std::vector<std::string> want{"line 0\n", "line 1\n", "line 2\n", "rest="};
  EXPECT_EQ(got, want);
}

// A StreamReader fed by hand, one byte at a time: readexactly and readuntil
// assemble their results across many small segments.
aio::Task<void> feed_slowly(aio::StreamReader& r, std::string data) {
  for (char c : data) {
    r.feed_data(std::string_view(&c, 1));
    co_await aio::sleep(0);
  }
  r.feed_eof();
}

aio::Task<void> partial_reads() {
  aio::StreamReader r;
  std::string payload = "HEADER:0123456789abcdef|tail-without-separator";
  auto feeder = aio::create_task(feed_slowly(r, payload));
  EXPECT_EQ(co_await r.readexactly(7), "HEADER:");
  std::string sep = "|";
  EXPECT_EQ(co_await r.readuntil(sep), "0123456789abcdef|");
  try {
    co_await r.readuntil(sep);
    ADD_FAILURE() << "expected IncompleteReadError";
  } catch (const aio::IncompleteReadError& e) {
    EXPECT_EQ(e.partial, "tail-without-separator");
    EXPECT_FALSE(e.expected.has_value());
  }
  EXPECT_TRUE(r.at_eof());
  co_await feeder;
}

TEST(StreamReader, PartialReadsAcrossSmallSegments) { nettest::run(partial_reads()); }

aio::Task<void> readexactly_eof() {
  aio::StreamReader r;
  auto feeder = aio::create_task(feed_slowly(r, "abc"));
  try {
    co_await r.readexactly(10);
    ADD_FAILURE() << "expected IncompleteReadError";
  } catch (const aio::IncompleteReadError& e) {
    EXPECT_EQ(e.partial, "abc");
    EXPECT_EQ(e.expected, std::optional<std::size_t>(10));
    EXPECT_STREQ(e.what(), "3 bytes read on a total of 10 expected bytes");
  }
  co_await feeder;
}

TEST(StreamReader, ReadexactlyIncomplete) { nettest::run(readexactly_eof()); }

// asyncio: readexactly(-1) is a ValueError, not a wait for 2**64 - 1 bytes.
aio::Task<void> readexactly_negative() {
  aio::StreamReader r;
  r.feed_data("abc");
  try {
    co_await r.readexactly(-1);
    ADD_FAILURE() << "expected ValueError";
  } catch (const aio::ValueError& e) {
    EXPECT_STREQ(e.what(), "readexactly size can not be less than zero");
    EXPECT_EQ(e.hint(), "pass a byte count of 0 or more (got -1)");
  }
  EXPECT_EQ(co_await r.readexactly(3), "abc");  // nothing was consumed
}

TEST(StreamReader, ReadexactlyNegativeIsValueError) { nettest::run(readexactly_negative()); }

// asyncio: StreamReader(limit=0) is a ValueError (here read() returned ""
// at once, before EOF).
TEST(StreamReader, ZeroLimitIsValueError) { EXPECT_THROW(aio::StreamReader r(0), aio::ValueError); }

// A cancelled read keeps what was buffered for the next reader (asyncio's
// readline/readexactly consume nothing until they can return).
aio::Task<void> cancelled_reads_keep_data() {
  aio::StreamReader r;
  r.feed_data("abc");
  auto line = aio::create_task(r.readline());
  co_await aio::sleep(0);
  line.cancel();
  try {
    co_await line;
    ADD_FAILURE() << "expected CancelledError";
  } catch (const aio::CancelledError&) {
  }
  r.feed_data("d\n12");
  EXPECT_EQ(co_await r.readline(), "abcd\n");
  auto exact = aio::create_task(r.readexactly(5));
  co_await aio::sleep(0);
  exact.cancel();
  try {
    co_await exact;
    ADD_FAILURE() << "expected CancelledError";
  } catch (const aio::CancelledError&) {
  }
  r.feed_data("345");
  EXPECT_EQ(co_await r.readexactly(5), "12345");
}

TEST(StreamReader, CancelledReadsKeepTheData) { nettest::run(cancelled_reads_keep_data()); }

aio::Task<void> limit_overrun() {
  aio::StreamReader r(16);
  r.feed_data(std::string(40, 'x'));
  r.feed_data("\nnext line\n");
  r.feed_eof();
  std::string sep = "\n";
  try {
    co_await r.readuntil(sep);
    ADD_FAILURE() << "expected LimitOverrunError";
  } catch (const aio::LimitOverrunError& e) {
    EXPECT_EQ(e.consumed, 40u);
  }
  // readline drops the oversized line and raises ValueError.
  try {
    co_await r.readline();
    ADD_FAILURE() << "expected ValueError";
  } catch (const aio::ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Separator is found, but chunk is longer than limit"), std::string::npos);
  }
  EXPECT_EQ(co_await r.readline(), "next line\n");
  EXPECT_EQ(co_await r.readline(), "");
}

TEST(StreamReader, LimitOverrun) { nettest::run(limit_overrun()); }

aio::Task<void> async_iteration() {
  aio::StreamReader r;
  r.feed_data("a\nb\nc");
  r.feed_eof();
  std::vector<std::string> lines;
  auto gen = r.lines();
  while (auto line = co_await gen.next()) lines.push_back(*line);
  std::vector<std::string> want{"a\n", "b\n", "c"};
  EXPECT_EQ(lines, want);
}

TEST(StreamReader, AsyncIterationByLine) { nettest::run(async_iteration()); }

aio::Task<void> two_readers() {
  aio::StreamReader r;
  auto first = aio::create_task(r.read(10));
  co_await aio::sleep(0);
  try {
    co_await r.read(10);
    ADD_FAILURE() << "expected RuntimeError";
  } catch (const aio::RuntimeError& e) {
    EXPECT_STREQ(e.what(), "read() called while another coroutine is already waiting for incoming data");
    EXPECT_EQ(e.hint(), "read from one task at a time");
  }
  r.feed_data("x");
  EXPECT_EQ(co_await first, "x");
}

TEST(StreamReader, OneWaiterAtATime) { nettest::run(two_readers()); }

// asyncio sets the exception on the waiter future only while it is pending:
// a read already woken by data (or EOF) returns that, the next read raises.
aio::Task<void> data_then_exception() {
  aio::StreamReader r;
  auto first = aio::create_task(r.read(10));
  co_await aio::sleep(0);
  r.feed_data("abc");
  r.set_exception(std::make_exception_ptr(aio::ConnectionResetError(ECONNRESET, "reset")));
  EXPECT_EQ(co_await first, "abc");
  EXPECT_THROW(co_await r.read(10), aio::ConnectionResetError);

  aio::StreamReader r2;
  auto second = aio::create_task(r2.read(10));
  co_await aio::sleep(0);
  r2.feed_eof();
  r2.set_exception(std::make_exception_ptr(aio::ConnectionResetError(ECONNRESET, "reset")));
  EXPECT_EQ(co_await second, "");

  // Woken with the error while waiting: data fed afterwards does not undo it.
  aio::StreamReader r3;
  auto third = aio::create_task(r3.readexactly(2));
  co_await aio::sleep(0);
  r3.set_exception(std::make_exception_ptr(aio::ConnectionResetError(ECONNRESET, "reset")));
  r3.feed_data("ab");
  EXPECT_THROW(co_await third, aio::ConnectionResetError);
}

TEST(StreamReader, ReadWokenByDataIgnoresLaterException) { nettest::run(data_then_exception()); }

// A read woken with the error but cancelled before it ran is cancelled (the
// cancel wins, as in an asyncio task); later reads raise the error.
aio::Task<void> cancelled_after_error_wakeup() {
  aio::StreamReader r;
  auto first = aio::create_task(r.read(10));
  co_await aio::sleep(0);
  r.set_exception(std::make_exception_ptr(aio::ConnectionResetError(ECONNRESET, "reset")));
  first.cancel();
  EXPECT_THROW(co_await first, aio::CancelledError);
  EXPECT_THROW(co_await r.read(10), aio::ConnectionResetError);
}

TEST(StreamReader, CancelledAfterErrorWakeup) { nettest::run(cancelled_after_error_wakeup()); }

// asyncio's `assert not self._eof, 'feed_data after feed_eof'`, empty data too.
TEST(StreamReader, FeedDataAfterEofIsAssertionError) {
  aio::StreamReader r;
  r.feed_eof();
  EXPECT_THROW(r.feed_data("x"), aio::AssertionError);
  EXPECT_THROW(r.feed_data(""), aio::AssertionError);
  r.feed_eof();  // twice is fine
  EXPECT_TRUE(r.at_eof());
}

// readline's ValueError carries readuntil's message unchanged, as asyncio's.
aio::Task<void> readline_overrun_message() {
  aio::StreamReader r(3);
  r.feed_data("abcd\nxy\n");
  try {
    co_await r.readline();
    ADD_FAILURE() << "expected ValueError";
  } catch (const aio::ValueError& e) {
    EXPECT_STREQ(e.what(), "Separator is found, but chunk is longer than limit");
    EXPECT_EQ(e.hint(), "the line is longer than the reader's limit of 3 bytes: open the stream with a larger limit");
  }
  EXPECT_EQ(co_await r.readline(), "xy\n");
}

TEST(StreamReader, ReadlineOverrunMessage) { nettest::run(readline_overrun_message()); }

// A server writing to a client that does not read: drain() blocks once the
// transport's buffer passes the high-water mark, so the server's memory
// stays bounded by it (plus the kernel's socket buffers).
aio::Task<void> slow_reader() {
  std::size_t max_buffered = 0;
  std::size_t written = 0;
  bool blocked = false;
  aio::Event stop;
  auto handler = [&](std::shared_ptr<aio::StreamReader>, std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
    w->transport().set_write_buffer_limits(64 * 1024);
    std::string chunk(16 * 1024, 'z');
    aio::Task<void> d;
    while (!stop.is_set()) {
      w->write(chunk);
      written += chunk.size();
      max_buffered = std::max(max_buffered, w->transport().get_write_buffer_size());
      d = aio::create_task(w->drain());
      co_await aio::sleep(0);
      if (!d.done()) {
        blocked = true;
        break;
      }
      co_await d;
    }
    w->transport().abort();
    try {
      co_await d;  // the pending drain ends with the connection
    } catch (const aio::ConnectionResetError&) {
    }
  };
  auto server = co_await aio::start_server(handler, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  for (int i = 0; i < 200 && !blocked; ++i) co_await aio::sleep(0.01);
  stop.set();
  EXPECT_TRUE(blocked);
  // Never more than the high-water mark plus one chunk.
  EXPECT_LE(max_buffered, 64u * 1024 + 16 * 1024);
  writer->close();
  server->close();
  co_await server->wait_closed();
}

TEST(Streams, ClientThatStopsReadingBoundsServerMemory) { nettest::run(slow_reader()); }

aio::Task<void> peer_reset() {
  aio::Event got_error;
  std::string error_type;
  auto handler = [&](std::shared_ptr<aio::StreamReader> r, std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
    try {
      co_await r->read();
    } catch (const aio::ConnectionResetError&) {
      error_type = "ConnectionResetError";
    }
    got_error.set();
    w->close();
  };
  auto server = co_await aio::start_server(handler, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  writer->write("some data");
  co_await writer->drain();
  co_await aio::sleep(0.05);
  // SO_LINGER 0 + close: the peer gets an RST.
  int fd = std::any_cast<int>(writer->get_extra_info("socket"));
  linger lg{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  writer->transport().abort();
  co_await got_error.wait();
  EXPECT_EQ(error_type, "ConnectionResetError");
  server->close();
  co_await server->wait_closed();
}

TEST(Streams, PeerReset) { nettest::run(peer_reset()); }

// Half-close: the client sends EOF, the server still answers on the same
// connection.
aio::Task<void> half_close() {
  auto handler = [](std::shared_ptr<aio::StreamReader> r, std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
    std::string all = co_await r->read();
    w->write("got " + std::to_string(all.size()) + " bytes");
    co_await w->drain();
    w->close();
  };
  auto server = co_await aio::start_server(handler, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  EXPECT_TRUE(writer->can_write_eof());
  writer->write(std::string(100000, 'q'));
  writer->write_eof();
  std::string reply = co_await reader->read();
  EXPECT_EQ(reply, "got 100000 bytes");
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
}

TEST(Streams, HalfClose) { nettest::run(half_close()); }

// A handler that returns without closing its writer: once the writer is
// gone the connection closes (asyncio's StreamWriter.__del__), instead of
// staying open for writing forever after the peer's EOF (an fd per client).
aio::Task<void> handler_forgets_close() {
  int handled = 0;
  auto handler = [&](std::shared_ptr<aio::StreamReader> r, std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
    co_await r->readline();
    w->write("bye\n");
    ++handled;
  };
  aio::ClientConnectedCallback cb = handler;
  auto server = co_await aio::start_server(cb, "127.0.0.1", 0);
  int fds = nettest::open_fd_count();
  for (int i = 0; i < 5; ++i) {
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
    writer->write("hi\n");
    EXPECT_EQ(co_await reader->readline(), "bye\n");
    EXPECT_EQ(co_await reader->read(), "");  // the server closed its side
    writer->close();
    co_await writer->wait_closed();
  }
  co_await aio::sleep(0.05);
  EXPECT_EQ(handled, 5);
  EXPECT_EQ(server->active_connections(), 0u);
  EXPECT_EQ(nettest::open_fd_count(), fds);
  server->close();
  co_await server->wait_closed();
}

TEST(Streams, HandlerThatForgetsToCloseDoesNotLeakTheConnection) { nettest::run(handler_forgets_close()); }

aio::Task<void> refused() {
  // A port nobody listens on: bind, read the port, close.
  int fd = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(fd, aio::inet_address("127.0.0.1", 0));
  int port = aio::getsockname(fd).port;
  ::close(fd);
  try {
    co_await aio::open_connection("127.0.0.1", port);
    ADD_FAILURE() << "expected ConnectionRefusedError";
  } catch (const aio::ConnectionRefusedError& e) {
    EXPECT_EQ(e.errno_value(), ECONNREFUSED);
    EXPECT_NE(std::string(e.what()).find("Connect call failed ('127.0.0.1', " + std::to_string(port) + ")"),
              std::string::npos);
  }
}

TEST(Streams, ConnectionRefused) { nettest::run(refused()); }

// A port outside 0-65535 is an OverflowError, as Python's bind()/connect():
// htons() would have turned 70000 into 4464 and listened there.
aio::Task<void> port_out_of_range() {
  for (int port : {70000, -1}) {
    try {
      auto server = co_await aio::start_server(echo_handler, "127.0.0.1", port);
      ADD_FAILURE() << "start_server on port " << port << " listened on " << server->sockname().port;
      server->close();
    } catch (const aio::OverflowError& e) {
      EXPECT_NE(std::string(e.what()).find("port must be 0-65535"), std::string::npos) << e.what();
    }
    try {
      co_await aio::open_connection("127.0.0.1", port);
      ADD_FAILURE() << "open_connection to port " << port;
    } catch (const aio::OverflowError& e) {
      EXPECT_NE(std::string(e.what()).find("port must be 0-65535"), std::string::npos) << e.what();
    }
  }
  int fd = aio::make_socket(AF_INET, SOCK_STREAM);
  EXPECT_THROW(aio::bind_socket(fd, aio::inet_address("127.0.0.1", 65536)), aio::OverflowError);
  ::close(fd);
}

TEST(Streams, PortOutOfRangeIsOverflowError) { nettest::run(port_out_of_range()); }

aio::Task<void> unix_streams() {
  std::string path = "/tmp/aio-net-test-" + std::to_string(::getpid()) + ".sock";
  auto server = co_await aio::start_unix_server(echo_handler, path);
  auto [reader, writer] = co_await aio::open_unix_connection(path);
  writer->write("over unix\n");
  EXPECT_EQ(co_await reader->readline(), "over unix\n");
  EXPECT_EQ(writer->get_address_info("peername").path, path);
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
  ::unlink(path.c_str());
}

TEST(Streams, UnixSocket) { nettest::run(unix_streams()); }

}  // namespace

namespace {

// A program that returns with its server and connections still open: the
// loop's teardown closes every fd and frees everything (ASan checks the
// frees, the fd count checks the descriptors).
aio::Task<void> leave_open() {
  auto server = co_await aio::start_server(echo_handler, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  writer->write("dangling\n");
  EXPECT_EQ(co_await reader->readline(), "dangling\n");
  auto pending_read = aio::create_task(reader->readline());  // still waiting at the end
  co_await aio::sleep(0.01);
}

TEST(Streams, LoopTeardownClosesWhatIsLeftOpen) {
  int before = nettest::open_fd_count();
  nettest::run(leave_open());
  EXPECT_EQ(nettest::open_fd_count(), before);
}

}  // namespace

namespace {

// A client whose writes stay buffered (its peer does not read until told,
// and its send buffer is tiny), so that drain() waits while paused.
struct StalledPeer {
  std::shared_ptr<aio::Server> server;
  std::shared_ptr<aio::Event> go = std::make_shared<aio::Event>();
  std::shared_ptr<aio::StreamReader> reader;
  std::shared_ptr<aio::StreamWriter> writer;
};

aio::Task<StalledPeer> stalled_peer() {
  StalledPeer s;
  auto go = s.go;
  aio::ClientConnectedCallback handler = [go](std::shared_ptr<aio::StreamReader> r,
                                              std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
    co_await go->wait();
    co_await r->read();
    w->close();
  };
  s.server = co_await aio::start_server(handler, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", s.server->sockname().port);
  s.reader = reader;
  s.writer = writer;
  int fd = std::any_cast<int>(writer->get_extra_info("socket"));
  int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  writer->write(std::string(1024 * 1024, 'x'));
  co_return s;
}

// asyncio (3.11, 3.12): a drain() waiting while the transport is paused is
// resolved by resume_writing, or by connection_lost(None) with no error. So
// close() while draining, then the buffer flushed, returns normally; so does
// abort(). Only a drain() started after the loss raises ConnectionResetError.
aio::Task<void> drain_waiting_then_close_or_abort() {
  {
    auto s = co_await stalled_peer();
    auto draining = aio::create_task(s.writer->drain());
    co_await aio::sleep(0.05);
    EXPECT_FALSE(draining.done());
    s.writer->close();
    s.go->set();
    co_await draining;  // no ConnectionResetError: everything was sent
    co_await s.writer->wait_closed();
    s.server->close();
  }
  {
    auto s = co_await stalled_peer();
    auto draining = aio::create_task(s.writer->drain());
    co_await aio::sleep(0.05);
    EXPECT_FALSE(draining.done());
    s.writer->transport().abort();
    co_await draining;  // connection_lost(None) resolves it
    try {
      co_await s.writer->drain();
      ADD_FAILURE() << "expected ConnectionResetError";
    } catch (const aio::ConnectionResetError&) {
    }
    s.go->set();
    s.server->close();
  }
}

TEST(StreamWriter, DrainWaitingWhenTheConnectionClosesCleanlyReturns) {
  nettest::run(drain_waiting_then_close_or_abort());
}

}  // namespace

namespace {

// asyncio: readuntil(b'') is ValueError; read(0) is b'' at once (no wait,
// even with nothing buffered); read(-1) reads to EOF; after EOF read() is b''.
aio::Task<void> reader_edge_cases() {
  aio::StreamReader r;
  try {
    co_await r.readuntil("");
    ADD_FAILURE() << "expected ValueError";
  } catch (const aio::ValueError& e) {
    EXPECT_STREQ(e.what(), "Separator should be at least one-byte string");
  }
  EXPECT_EQ(co_await r.read(0), "");
  auto feeding = aio::create_task(feed_slowly(r, "abc\ndef"));
  EXPECT_EQ(co_await r.read(-1), "abc\ndef");
  co_await feeding;
  EXPECT_TRUE(r.at_eof());
  EXPECT_EQ(co_await r.read(-1), "");
  EXPECT_EQ(co_await r.read(10), "");
  EXPECT_EQ(co_await r.readline(), "");
  EXPECT_EQ(co_await r.readexactly(0), "");
}

TEST(StreamReader, EmptySeparatorReadZeroAndReadToEof) { nettest::run(reader_edge_cases()); }

aio::Task<void> wait_closed_twice() {
  aio::ClientConnectedCallback handler = [](std::shared_ptr<aio::StreamReader> r,
                                            std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
    co_await r->read();
    w->close();
  };
  auto server = co_await aio::start_server(handler, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  writer->close();
  co_await writer->wait_closed();
  co_await writer->wait_closed();  // again: at once, as asyncio
  EXPECT_TRUE(writer->is_closing());
  writer->write("ignored after close");  // no error, as asyncio's transport
  server->close();
  co_await server->wait_closed();
}

TEST(StreamWriter, WaitClosedTwiceAndWriteAfterClose) { nettest::run(wait_closed_twice()); }

}  // namespace

namespace {

// Linux's abstract unix names ("\0name", no file): as Python, the address is
// the NUL and the name's bytes, exactly (no trailing NUL), so that other
// programs can connect to it, and sockname/peername give it back.
aio::Task<void> abstract_unix_socket() {
  std::string name = std::string("\0wtnet_abstract_", 16) + std::to_string(::getpid());
  aio::ClientConnectedCallback handler = [](std::shared_ptr<aio::StreamReader> r,
                                            std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
    w->write(co_await r->readline());
    co_await w->drain();
    w->close();
  };
  auto server = co_await aio::start_unix_server(handler, name);
  EXPECT_EQ(server->sockname().path, name);
  // A plain client, with the address as any other program spells it.
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::memcpy(sa.sun_path, name.data(), name.size());
  auto len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), len), 0) << std::strerror(errno);
  ::close(fd);
  auto [reader, writer] = co_await aio::open_unix_connection(name);
  EXPECT_EQ(writer->get_address_info("peername").path, name);
  writer->write("abstract\n");
  EXPECT_EQ(co_await reader->readline(), "abstract\n");
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
}

TEST(Streams, AbstractUnixSocket) { nettest::run(abstract_unix_socket()); }

}  // namespace

// ---- readuntil with several separators (Python 3.13) ----------------------------
// Expected values are CPython 3.13's (asyncio.StreamReader.readuntil with a
// tuple of separators).
namespace {

// Lines ending in "\r\n" or in "\n", fed one byte at a time: each read returns
// at the first separator to end, and "\r" alone (the start of "\r\n") is kept
// until the byte after it arrives.
aio::Task<void> readuntil_several_across_segments() {
  aio::StreamReader r;
  auto feeder = aio::create_task(feed_slowly(r, "GET / HTTP/1.1\r\nHost: x\n\nab\rcd\r\ntail\r"));
  std::vector<std::string> got;
  for (;;) {
    try {
      auto reading = r.readuntil({"\r\n", "\n"});
      got.push_back(co_await reading);
    } catch (const aio::IncompleteReadError& e) {
      got.push_back("partial=" + e.partial);
      break;
    }
  }
  std::vector<std::string> want{"GET / HTTP/1.1\r\n", "Host: x\n", "\n", "ab\rcd\r\n", "partial=tail\r"};
  EXPECT_EQ(got, want);
  co_await feeder;
}

TEST(StreamReader, ReaduntilSeveralSeparatorsAcrossSmallSegments) { nettest::run(readuntil_several_across_segments()); }

// The earliest match in the buffer wins, whatever the separators' order; of
// two that end at the same byte the shorter is the one that matched, which
// decides the limit check.
aio::Task<void> readuntil_earliest_match() {
  aio::StreamReader r;
  r.feed_data("ab\ncd\r\nef\r\n");
  std::vector<std::string> first_crlf{"\r\n", "\n"};
  EXPECT_EQ(co_await r.readuntil(first_crlf), "ab\n");
  std::vector<std::string> first_lf{"\n", "\r\n"};
  EXPECT_EQ(co_await r.readuntil(first_lf), "cd\r\n");
  // A longer separator that ends first wins over a shorter one that ends later.
  r.feed_data("xyzzy!");
  std::vector<std::string> mixed{"!", "zz"};
  EXPECT_EQ(co_await r.readuntil(mixed), "ef\r\nxyzz");
  EXPECT_EQ(co_await r.readuntil(mixed), "y!");

  // "abcd" and "cd" both end at byte 4: "cd" matched, and the 2 bytes before
  // it are over a limit of 1 (had "abcd" matched, 0 bytes would be).
  aio::StreamReader tight(1);
  tight.feed_data("abcd");
  try {
    auto reading = tight.readuntil({"abcd", "cd"});
    co_await reading;
    ADD_FAILURE() << "expected LimitOverrunError";
  } catch (const aio::LimitOverrunError& e) {
    EXPECT_STREQ(e.what(), "Separator is found, but chunk is longer than limit");
    EXPECT_EQ(e.consumed, 2u);
  }
  aio::StreamReader roomy(2);
  roomy.feed_data("abcd");
  auto reading = roomy.readuntil({"abcd", "cd"});
  EXPECT_EQ(co_await reading, "abcd");
}

TEST(StreamReader, ReaduntilSeveralSeparatorsEarliestMatchWins) { nettest::run(readuntil_earliest_match()); }

// LimitOverrunError leaves the data in the buffer; the search offset keeps
// the last (longest separator - 1) bytes; ValueError for no separators or an
// empty one, before anything is read.
aio::Task<void> readuntil_several_limits_and_errors() {
  aio::StreamReader r(4);
  r.feed_data("0123456789");
  std::vector<std::string> seps{"\r\n", "\n"};
  try {
    co_await r.readuntil(seps);
    ADD_FAILURE() << "expected LimitOverrunError";
  } catch (const aio::LimitOverrunError& e) {
    EXPECT_STREQ(e.what(), "Separator is not found, and chunk exceed the limit");
    EXPECT_EQ(e.consumed, 9u);
  }
  r.feed_data("\r\nx");
  try {
    co_await r.readuntil(seps);
    ADD_FAILURE() << "expected LimitOverrunError";
  } catch (const aio::LimitOverrunError& e) {
    EXPECT_EQ(e.consumed, 11u);  // "\n" (the shorter, same end) matched, at 11
  }
  EXPECT_EQ(r.size(), 13u);
  try {
    auto reading = r.readuntil(std::vector<std::string>{});
    co_await reading;
    ADD_FAILURE() << "expected ValueError";
  } catch (const aio::ValueError& e) {
    EXPECT_STREQ(e.what(), "Separator should contain at least one element");
  }
  try {
    auto reading = r.readuntil({"", "x"});
    co_await reading;
    ADD_FAILURE() << "expected ValueError";
  } catch (const aio::ValueError& e) {
    EXPECT_STREQ(e.what(), "Separator should be at least one-byte string");
  }
  EXPECT_EQ(co_await r.readexactly(13), "0123456789\r\nx");
}

TEST(StreamReader, ReaduntilSeveralSeparatorsLimitsAndErrors) { nettest::run(readuntil_several_limits_and_errors()); }

}  // namespace

namespace {

// asyncio's get_extra_info(name, default): the default when the transport
// has no such key, the value when it has.
aio::Task<void> extra_info_with_default() {
  auto server = co_await aio::start_server(echo_handler, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  std::any missing = writer->get_extra_info("no-such-key", 5);
  EXPECT_EQ(std::any_cast<int>(missing), 5);
  EXPECT_FALSE(writer->get_extra_info("no-such-key").has_value());
  EXPECT_FALSE(writer->get_extra_info("no-such-key", std::any()).has_value());  // asyncio's default=None
  int fd = std::any_cast<int>(writer->get_extra_info("socket", -1));
  EXPECT_GE(fd, 0);
  auto peer = std::any_cast<aio::SocketAddress>(writer->get_extra_info("peername", aio::SocketAddress{}));
  EXPECT_EQ(peer.port, server->sockname().port);
  // The same on the transport, through BaseTransport.
  const aio::BaseTransport& t = writer->transport();
  EXPECT_EQ(std::any_cast<std::string>(t.get_extra_info("sslcontext", std::string("none"))), "none");
  EXPECT_EQ(std::any_cast<int>(t.get_extra_info("socket", -1)), fd);
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
}

TEST(Streams, GetExtraInfoWithDefault) { nettest::run(extra_info_with_default()); }

}  // namespace

namespace {

using Reader = std::shared_ptr<aio::StreamReader>;
using Writer = std::shared_ptr<aio::StreamWriter>;

// What converts to a client_connected_cb: callables returning Task<void> (a
// coroutine function) or void (a plain one), nothing else.
static_assert(std::is_convertible_v<aio::Task<void> (*)(Reader, Writer), aio::ClientConnectedCallback>);
static_assert(std::is_convertible_v<void (*)(Reader, Writer), aio::ClientConnectedCallback>);
static_assert(!std::is_convertible_v<int (*)(Reader, Writer), aio::ClientConnectedCallback>);
static_assert(!std::is_convertible_v<void (*)(Reader), aio::ClientConnectedCallback>);

TEST(Streams, ClientConnectedCallbackKinds) {
  aio::ClientConnectedCallback none;
  EXPECT_FALSE(none);
  aio::ClientConnectedCallback empty_function = std::function<aio::Task<void>(Reader, Writer)>();
  EXPECT_FALSE(empty_function);
  aio::ClientConnectedCallback null_pointer = static_cast<void (*)(Reader, Writer)>(nullptr);
  EXPECT_FALSE(null_pointer);
  aio::ClientConnectedCallback coroutine = echo_handler;
  EXPECT_TRUE(coroutine);
  EXPECT_TRUE(coroutine.is_coroutine());
  aio::ClientConnectedCallback plain = [](auto, auto) {};
  EXPECT_TRUE(plain);
  EXPECT_FALSE(plain.is_coroutine());
}

// asyncio's start_server takes a plain function too: called in
// connection_made, no task made. It keeps the writer to answer later.
aio::Task<void> plain_client_connected_cb() {
  std::vector<Writer> kept;
  int calls = 0;
  std::size_t tasks_in_cb = 0;
  // A braced generic lambda straight in the call (not awaited there: g++ 12.2).
  auto starting = aio::start_server(
      [&](auto reader, auto writer) {
        ++calls;
        tasks_in_cb = aio::all_tasks().size();
        writer->write("hello\n");
        kept.push_back(writer);
      },
      "127.0.0.1", 0);
  auto server = co_await starting;
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  EXPECT_EQ(co_await reader->readline(), "hello\n");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(aio::all_tasks().size(), tasks_in_cb);  // no task was made for it
  // The connection stays open while the callback's writer is kept.
  EXPECT_EQ(kept.size(), 1u);
  if (kept.size() == 1) {
    kept[0]->write("bye\n");
    kept[0]->close();
    EXPECT_EQ(co_await reader->read(), "bye\n");
  }
  kept.clear();
  writer->close();
  server->close();
  co_await server->wait_closed();
}

TEST(Streams, PlainClientConnectedCb) { nettest::run(plain_client_connected_cb()); }

// A plain function that keeps no reference to the writer: the connection
// closes once it returns (StreamWriter's destructor, asyncio 3.12+'s
// __del__), after what it wrote.
aio::Task<void> plain_cb_that_keeps_nothing() {
  aio::ClientConnectedCallback greet = [](Reader, Writer w) { w->write("hello\n"); };
  auto server = co_await aio::start_server(greet, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  EXPECT_EQ(co_await reader->read(), "hello\n");
  writer->close();
  server->close();
  co_await server->wait_closed();
}

TEST(Streams, PlainClientConnectedCbThatKeepsNothing) { nettest::run(plain_cb_that_keeps_nothing()); }

// What a plain function raises propagates out of connection_made, as in
// CPython 3.11 (checked): the loop's exception handler gets "Exception in
// callback ..." with the handle, not "Unhandled exception in
// client_connected_cb" (that is a task's). The server goes on serving.
aio::Task<std::vector<aio::ExceptionContext>> plain_cb_that_raises() {
  auto& loop = aio::get_running_loop();
  std::vector<aio::ExceptionContext> reported;
  loop.set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext& ctx) { reported.push_back(ctx); });
  int calls = 0;
  aio::ClientConnectedCallback raising = [&](Reader, Writer) {
    if (++calls == 1) throw aio::ValueError("boom");
  };
  auto server = co_await aio::start_server(raising, "127.0.0.1", 0);
  for (int i = 0; i < 2; ++i) {
    auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
    EXPECT_EQ(co_await reader->read(), "");  // closed: the writer was dropped
    writer->close();
  }
  EXPECT_EQ(calls, 2);
  loop.set_exception_handler(nullptr);
  server->close();
  co_await server->wait_closed();
  co_return reported;
}

TEST(Streams, PlainClientConnectedCbThatRaises) {
  auto reported = nettest::run(plain_cb_that_raises());
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].message, "Exception in callback connection_made");
  EXPECT_EQ(reported[0].handle, "connection_made");
  EXPECT_EQ(aio::exception_type_name(reported[0].exception), "ValueError");
}

}  // namespace
