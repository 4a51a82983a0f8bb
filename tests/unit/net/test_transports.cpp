// Transports and protocols: create_server / create_connection, flow
// control, get_extra_info, Server lifecycle, connect_accepted_socket,
// sendfile, and 10,000 connections without leaking a descriptor.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "net_test_util.hpp"
#include "support/echo.hpp"

namespace {

using nettest::EchoProtocol;

using ClientProtocol = nettest::RecordingProtocol;

aio::Task<void> protocol_echo() {
  aio::ProtocolFactory factory1 = [] { return std::make_shared<EchoProtocol>(); };
  auto server = co_await aio::create_server(factory1, "127.0.0.1", 0);
  EXPECT_TRUE(server->is_serving());
  EXPECT_EQ(server->sockets().size(), 1u);
  auto client = std::make_shared<ClientProtocol>();
  aio::ProtocolFactory factory2 = [client] { return client; };
  auto [t, p] = co_await aio::create_connection(factory2, "127.0.0.1", server->sockname().port);
  EXPECT_EQ(p, client);
  EXPECT_EQ(client->events, std::vector<std::string>{"made"});  // before create_connection returns
  EXPECT_EQ(t->get_address_info("peername"), server->sockname());
  EXPECT_EQ(t->get_address_info("sockname").host, "127.0.0.1");
  EXPECT_GE(std::any_cast<int>(t->get_extra_info("socket")), 0);
  EXPECT_FALSE(t->get_extra_info("nonsense").has_value());

  // Flow control: low marks make pause_writing/resume_writing fire.
  t->set_write_buffer_limits(1, 0);
  EXPECT_EQ(t->get_write_buffer_limits(), std::make_pair(std::size_t(0), std::size_t(1)));
  std::string big(8 * 1024 * 1024, 'e');
  client->want = big.size();
  t->write(big);
  EXPECT_GT(t->get_write_buffer_size(), 0u);
  co_await client->got_all.wait();
  EXPECT_EQ(client->received.size(), big.size());
  EXPECT_EQ(t->get_write_buffer_size(), 0u);
  EXPECT_THROW(t->set_write_buffer_limits(1, 2), aio::ValueError);

  // pause_reading: nothing is delivered until resume_reading.
  client->received.clear();
  client->want = 5;
  t->pause_reading();
  EXPECT_FALSE(t->is_reading());
  t->write("hello");
  co_await aio::sleep(0.05);
  EXPECT_EQ(client->received, "");
  t->resume_reading();
  co_await client->got_all.wait();

  t->close();
  EXPECT_TRUE(t->is_closing());
  co_await client->lost.wait();
  std::vector<std::string> want{"made", "pause_writing", "resume_writing", "lost"};
  EXPECT_EQ(client->events, want);
  t->write("ignored after close");  // no error, as asyncio

  server->close();
  EXPECT_FALSE(server->is_serving());
  EXPECT_TRUE(server->sockets().empty());
  co_await server->wait_closed();
}

TEST(Transports, ProtocolEchoFlowControlAndExtraInfo) { nettest::run(protocol_echo()); }

// The benchmark's echo workload (tests/bench/net/echo_bench.cpp) at a small
// size: every round trip of every connection completes.
TEST(Transports, EchoWorkloadFiftyConnections) {
  auto result = nettest::run(nettest::echo_round_trips(200, 50));
  EXPECT_EQ(result.round_trips, 200 * 50);
  EXPECT_GT(result.seconds, 0.0);
}

aio::Task<void> server_eof_and_abort() {
  struct Closer : aio::Protocol {
    void connection_made(aio::Transport& t) override {
      t.write("bye");
      t.close();  // buffered data is still sent
    }
  };
  aio::ProtocolFactory factory3 = [] { return std::make_shared<Closer>(); };
  auto server = co_await aio::create_server(factory3, "127.0.0.1", 0);
  auto client = std::make_shared<ClientProtocol>();
  aio::ProtocolFactory factory4 = [client] { return client; };
  auto [t, p] = co_await aio::create_connection(factory4, "127.0.0.1", server->sockname().port);
  co_await client->lost.wait();
  EXPECT_EQ(client->received, "bye");
  std::vector<std::string> want{"made", "eof", "lost"};
  EXPECT_EQ(client->events, want);

  auto c2 = std::make_shared<ClientProtocol>();
  aio::ProtocolFactory factory5 = [c2] { return c2; };
  auto [t2, p2] = co_await aio::create_connection(factory5, "127.0.0.1", server->sockname().port);
  t2->abort();
  co_await c2->lost.wait();
  EXPECT_EQ(c2->events.back(), "lost");
  server->close();
  co_await server->wait_closed();
}

TEST(Transports, CloseSendsBufferedDataAbortDoesNot) { nettest::run(server_eof_and_abort()); }

// A server whose protocol factory returns null: each connection is closed
// and a TypeError reported (as create_connection raises), no crash.
aio::Task<void> null_server_protocol() {
  std::vector<std::string> errors;
  aio::get_running_loop().set_exception_handler(
      [&](aio::EventLoop&, const aio::ExceptionContext& c) { errors.push_back(c.message + ": " + aio::exception_message(c.exception)); });
  aio::ProtocolFactory null_factory = [] { return std::shared_ptr<aio::Protocol>(); };
  auto server = co_await aio::create_server(null_factory, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  EXPECT_EQ(co_await reader->read(), "");  // closed by the server
  EXPECT_EQ(errors.size(), 1u);
  std::string error = errors.empty() ? "" : errors[0];
  EXPECT_NE(error.find("returned null"), std::string::npos) << error;
  writer->close();
  server->close();
  co_await server->wait_closed();
}

TEST(Server, ProtocolFactoryReturningNullClosesTheConnection) { nettest::run(null_server_protocol()); }

// A protocol factory that closes its server (serve one client, then stop):
// close() ran inside the accept loop and freed the listener under it (a
// segfault). The connection being accepted is still served.
aio::Task<void> close_in_factory() {
  std::shared_ptr<aio::Server> server;
  int made = 0;
  aio::ProtocolFactory factory = [&] {
    ++made;
    server->close();
    return std::make_shared<aio::Protocol>();
  };
  server = co_await aio::create_server(factory, "127.0.0.1", 0);
  int port = server->sockname().port;
  std::vector<aio::Streams> clients;
  for (int i = 0; i < 3; ++i) {
    try {
      clients.push_back(co_await aio::open_connection("127.0.0.1", port));
    } catch (const aio::ConnectionRefusedError&) {
      // after the close: nobody listens
    }
  }
  co_await aio::sleep(0.05);
  EXPECT_EQ(made, 1);
  EXPECT_TRUE(server->sockets().empty());
  EXPECT_EQ(server->active_connections(), 1u);
  for (auto& c : clients) c.second->close();
  server->close_clients();
  co_await server->wait_closed();
}

TEST(Server, ProtocolFactoryThatClosesTheServer) { nettest::run(close_in_factory()); }

// The same, where the factory also drops the last reference to the Server
// (the user's code lets go of it once it is closed). The accept loop runs
// inside the server's listener and calls the factory the server owns: both
// were freed under it (a use-after-free that ASan reports). The server must
// stay alive until the accept callback returns; the connection being accepted
// is still served, and outlives the server object.
aio::Task<void> release_in_factory() {
  std::shared_ptr<aio::Server> server;
  std::weak_ptr<aio::Server> watch;
  int made = 0;
  aio::ProtocolFactory factory = [&] {
    ++made;
    server->close();
    server.reset();  // the last reference
    return std::make_shared<EchoProtocol>();
  };
  server = co_await aio::create_server(factory, "127.0.0.1", 0);
  watch = server;
  int port = server->sockname().port;
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", port);
  for (int i = 0; i < 50 && !watch.expired(); ++i) co_await aio::sleep(0.01);
  EXPECT_EQ(made, 1);
  EXPECT_TRUE(watch.expired());  // freed once the accept callback returned
  writer->write("still served\n");
  std::string line = co_await reader->readline();
  EXPECT_EQ(line, "still served\n");
  writer->close();
  co_await writer->wait_closed();
}

TEST(Server, ProtocolFactoryThatReleasesTheLastReferenceToTheServer) { nettest::run(release_in_factory()); }

aio::Task<void> serve_forever_until_cancelled() {
  aio::ServerOptions options;
  options.start_serving = false;
  aio::ProtocolFactory factory6 = [] { return std::make_shared<EchoProtocol>(); };
  auto server = co_await aio::create_server(factory6, "127.0.0.1", 0, options);
  EXPECT_FALSE(server->is_serving());
  auto forever = aio::create_task(server->serve_forever());
  co_await aio::sleep(0.01);
  EXPECT_TRUE(server->is_serving());
  try {
    co_await server->serve_forever();
    ADD_FAILURE() << "expected RuntimeError";
  } catch (const aio::RuntimeError& e) {
    EXPECT_STREQ(e.what(), "server is already being awaited on serve_forever()");
  }
  // A connection accepted while serving, closed by close_clients().
  auto client = std::make_shared<ClientProtocol>();
  aio::ProtocolFactory factory7 = [client] { return client; };
  auto [t, p] = co_await aio::create_connection(factory7, "127.0.0.1", server->sockname().port);
  co_await aio::sleep(0.01);
  EXPECT_EQ(server->active_connections(), 1u);
  forever.cancel();
  auto closing = aio::create_task(server->wait_closed());
  co_await aio::sleep(0.01);
  EXPECT_FALSE(closing.done());  // waits for the connection
  server->close_clients();
  co_await closing;
  EXPECT_TRUE(forever.done());
  EXPECT_TRUE(forever.cancelled());
  co_await client->lost.wait();
}

TEST(Server, ServeForeverCloseClientsWaitClosed) { nettest::run(serve_forever_until_cancelled()); }

aio::Task<void> accepted_socket() {
  int lsock = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(lsock, aio::inet_address("127.0.0.1", 0));
  ::listen(lsock, 4);
  auto accepting = aio::create_task(aio::sock_accept(lsock));
  auto client = std::make_shared<ClientProtocol>();
  aio::ProtocolFactory factory8 = [client] { return client; };
  auto [t, p] = co_await aio::create_connection(factory8, "127.0.0.1", aio::getsockname(lsock).port);
  auto [fd, peer] = co_await accepting;
  aio::ProtocolFactory factory9 = [] { return std::make_shared<EchoProtocol>(); };
  auto [st, sp] = co_await aio::connect_accepted_socket(factory9, fd);
  client->want = 4;
  t->write("ping");
  co_await client->got_all.wait();
  EXPECT_EQ(client->received, "ping");
  st->close();
  t->close();
  co_await client->lost.wait();
  aio::close_socket(lsock);
}

TEST(Transports, ConnectAcceptedSocket) { nettest::run(accepted_socket()); }

aio::Task<void> sendfile_test(bool use_pipe_fallback) {
  char path[] = "/tmp/aio-sendfile-XXXXXX";
  int file = ::mkstemp(path);
  std::string content;
  for (int i = 0; i < 100000; ++i) content += static_cast<char>('a' + i % 26);
  EXPECT_EQ(::write(file, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::unlink(path);

  struct Sender : aio::Protocol {};
  aio::ProtocolFactory factory10 = [] { return std::make_shared<ClientProtocol>(); };
  auto server = co_await aio::create_server(factory10, "127.0.0.1", 0);
  // The server's protocol collects what it receives; find it through a
  // connection of our own.
  auto collector = std::make_shared<ClientProtocol>();
  aio::ProtocolFactory factory11 = [collector] { return collector; };
  auto server2 = co_await aio::create_server(factory11, "127.0.0.1", 0);
  aio::ProtocolFactory factory12 = [] { return std::make_shared<Sender>(); };
  auto [t, p] = co_await aio::create_connection(factory12, "127.0.0.1",
                                                server2->sockname().port);
  collector->want = content.size() - 10;
  t->write("");  // nothing buffered
  std::size_t sent = co_await aio::sendfile(*t, file, 10, 0, use_pipe_fallback);
  EXPECT_EQ(sent, content.size() - 10);
  co_await collector->got_all.wait();
  EXPECT_EQ(collector->received, content.substr(10));
  t->close();
  co_await collector->lost.wait();
  ::close(file);
  server->close();
  server2->close();
  co_await server->wait_closed();
  co_await server2->wait_closed();
}

TEST(Transports, Sendfile) { nettest::run(sendfile_test(true)); }

// 10,000 connections opened, used and closed; the process has as many file
// descriptors afterwards as before.
aio::Task<void> many_connections(int n) {
  aio::ServerOptions options;
  options.backlog = 1024;
  aio::ProtocolFactory factory13 = [] { return std::make_shared<EchoProtocol>(); };
  auto server = co_await aio::create_server(factory13, "127.0.0.1", 0, options);
  int port = server->sockname().port;
  struct Conn {
    std::shared_ptr<aio::Transport> t;
    std::shared_ptr<ClientProtocol> p;
  };
  std::vector<Conn> conns;
  conns.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto proto = std::make_shared<ClientProtocol>();
    aio::ProtocolFactory factory14 = [proto] { return proto; };
    auto [t, p] = co_await aio::create_connection(factory14, "127.0.0.1", port);
    conns.push_back(Conn{t, proto});
  }
  for (auto& c : conns) {
    c.p->want = 2;
    c.t->write("hi");
  }
  for (auto& c : conns) co_await c.p->got_all.wait();
  EXPECT_EQ(server->active_connections(), static_cast<std::size_t>(n));
  for (auto& c : conns) c.t->close();
  for (auto& c : conns) co_await c.p->lost.wait();
  conns.clear();
  server->close();
  co_await server->wait_closed();
  EXPECT_EQ(server->active_connections(), 0u);
}

TEST(Transports, TenThousandConnectionsLeakNoDescriptor) {
  int n = std::getenv("AIO_NET_CONNS") ? std::atoi(std::getenv("AIO_NET_CONNS")) : 10000;
  rlim_t limit = nettest::raise_fd_limit(2 * n + 100);
  if (limit < static_cast<rlim_t>(2 * n + 100)) n = static_cast<int>((limit - 100) / 2);
  int before = nettest::open_fd_count();
  nettest::run(many_connections(n), 120);
  int after = nettest::open_fd_count();
  EXPECT_EQ(after, before) << "file descriptors leaked (" << n << " connections)";
}

}  // namespace

namespace {

// BufferedProtocol: reads go straight into the protocol's own buffer.
struct Buffered : aio::BufferedProtocol {
  char buf[7];
  std::string got;
  aio::Event lost;
  std::span<char> get_buffer(long) override { return std::span<char>(buf, sizeof buf); }
  void buffer_updated(std::size_t n) override { got.append(buf, n); }
  void connection_lost(std::exception_ptr) override { lost.set(); }
};

struct SendAndClose : aio::Protocol {
  void connection_made(aio::Transport& t) override {
    t.write(std::string(1000, 'b') + "end");
    t.close();
  }
};

aio::Task<void> buffered_protocol() {
  aio::ProtocolFactory sf = [] { return std::make_shared<SendAndClose>(); };
  auto creating = aio::create_server(sf, "127.0.0.1", 0);
  auto server = co_await creating;
  auto b = std::make_shared<Buffered>();
  aio::ProtocolFactory cf = [b] { return b; };
  auto connecting = aio::create_connection(cf, "127.0.0.1", server->sockname().port);
  auto [t, p] = co_await connecting;
  co_await b->lost.wait();
  EXPECT_EQ(b->got, std::string(1000, 'b') + "end");
  server->close();
  co_await server->wait_closed();
}

TEST(Transports, BufferedProtocol) { nettest::run(buffered_protocol()); }

}  // namespace

namespace {

struct Outliving {
  std::shared_ptr<aio::Server> server;
  std::shared_ptr<aio::Transport> transport;
  std::shared_ptr<aio::DatagramTransport> datagram;
};

aio::Task<Outliving> make_and_keep() {
  aio::ProtocolFactory echo = [] { return std::make_shared<EchoProtocol>(); };
  auto server = co_await aio::create_server(echo, "127.0.0.1", 0);
  aio::ProtocolFactory client = [] { return std::make_shared<ClientProtocol>(); };
  auto [t, p] = co_await aio::create_connection(client, "127.0.0.1", server->sockname().port);
  aio::DatagramOptions options;
  options.local_addr = aio::inet_address("127.0.0.1", 0);
  aio::DatagramProtocolFactory udp = [] { return std::make_shared<aio::DatagramProtocol>(); };
  auto [d, dp] = co_await aio::create_datagram_endpoint(udp, options);
  aio::EventLoop& loop = aio::get_running_loop();
  EXPECT_EQ(&server->get_loop(), &loop);
  EXPECT_EQ(&t->get_loop(), &loop);
  EXPECT_EQ(&d->get_loop(), &loop);
  co_return Outliving{server, t, d};
}

template <class F>
void expect_outlived(F f) {
  try {
    f();
    ADD_FAILURE() << "get_loop() returned a destroyed loop";
  } catch (const aio::RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("outlived its event loop"), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(Transports, ServerAndTransportsThatOutliveTheirLoopSaySoInsteadOfDangling) {
  Outliving kept = nettest::run(make_and_keep());  // aio::run destroyed the loop
  expect_outlived([&] { kept.server->get_loop(); });
  expect_outlived([&] { kept.transport->get_loop(); });
  expect_outlived([&] { kept.datagram->get_loop(); });
  // What needs no loop still works, and closing is harmless.
  EXPECT_TRUE(kept.server->sockets().empty());
  kept.server->close();
  kept.transport->close();
  kept.datagram->close();
}

namespace {

// The small print of asyncio's _SelectorSocketTransport, checked against
// CPython 3.11: write() after write_eof() is RuntimeError; write_eof() twice,
// pause_reading()/resume_reading() twice are no-ops; nothing is reading once
// closing; writes after abort() are dropped and nothing stays buffered.
aio::Task<void> transport_small_print() {
  aio::ProtocolFactory echo = [] { return std::make_shared<EchoProtocol>(); };
  auto server = co_await aio::create_server(echo, "127.0.0.1", 0);
  auto client = std::make_shared<ClientProtocol>();
  aio::ProtocolFactory factory = [client] { return client; };
  auto [t, p] = co_await aio::create_connection(factory, "127.0.0.1", server->sockname().port);

  EXPECT_TRUE(t->is_reading());
  t->pause_reading();
  t->pause_reading();
  EXPECT_FALSE(t->is_reading());
  t->resume_reading();
  t->resume_reading();
  EXPECT_TRUE(t->is_reading());
  EXPECT_THROW(t->set_write_buffer_limits(10, 20), aio::ValueError);
  EXPECT_EQ(t->get_write_buffer_limits(), std::make_pair(std::size_t(16 * 1024), std::size_t(64 * 1024)));
  t->set_write_buffer_limits(-1, 1000);  // high defaults to 4 * low, as asyncio
  EXPECT_EQ(t->get_write_buffer_limits(), std::make_pair(std::size_t(1000), std::size_t(4000)));

  client->want = 4;
  t->write("ping");
  EXPECT_TRUE(t->can_write_eof());
  t->write_eof();
  t->write_eof();
  try {
    t->write("more");
    ADD_FAILURE() << "expected RuntimeError";
  } catch (const aio::RuntimeError& e) {
    EXPECT_STREQ(e.what(), "Cannot call write() after write_eof()");
  }
  EXPECT_THROW(t->write(""), aio::RuntimeError);  // asyncio checks EOF before emptiness
  co_await client->got_all.wait();
  co_await client->lost.wait();  // the echo server closes after our EOF
  EXPECT_EQ(client->received, "ping");
  EXPECT_FALSE(t->is_reading());

  auto client2 = std::make_shared<ClientProtocol>();
  aio::ProtocolFactory factory2 = [client2] { return client2; };
  auto [t2, p2] = co_await aio::create_connection(factory2, "127.0.0.1", server->sockname().port);
  t2->pause_reading();
  t2->abort();
  EXPECT_TRUE(t2->is_closing());
  EXPECT_FALSE(t2->is_reading());
  t2->resume_reading();  // closing: stays off
  EXPECT_FALSE(t2->is_reading());
  for (int i = 0; i < 10; ++i) t2->write("dropped");
  EXPECT_EQ(t2->get_write_buffer_size(), 0u);
  co_await client2->lost.wait();
  EXPECT_EQ(client2->events, (std::vector<std::string>{"made", "lost"}));
  server->close();
  co_await server->wait_closed();
}

TEST(Transports, SmallPrintOfWriteEofPauseAndAbort) { nettest::run(transport_small_print()); }

}  // namespace

namespace {

int temp_file_with(const std::string& content) {
  char path[] = "/tmp/wtnet_sendfile_XXXXXX";
  int file = ::mkstemp(path);
  EXPECT_EQ(::write(file, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::unlink(path);
  return file;
}

// loop.sendfile's offset and count: exactly `count` bytes from `offset`, or
// what there is when the file ends first; RuntimeError on a closing
// transport; write() during a native sendfile is RuntimeError.
aio::Task<void> sendfile_offset_count_closing() {
  std::string content;
  for (int i = 0; i < 300000; ++i) content += static_cast<char>('a' + i % 26);
  int file = temp_file_with(content);
  auto collector = std::make_shared<ClientProtocol>();
  aio::ProtocolFactory collect = [collector] { return collector; };
  auto server = co_await aio::create_server(collect, "127.0.0.1", 0);
  struct Sender : aio::Protocol {};
  aio::ProtocolFactory sender = [] { return std::make_shared<Sender>(); };
  auto [t, p] = co_await aio::create_connection(sender, "127.0.0.1", server->sockname().port);

  auto sending = aio::create_task(aio::sendfile(*t, file, 7, 100));
  EXPECT_EQ(co_await sending, 100u);
  EXPECT_EQ(::lseek(file, 0, SEEK_CUR), 107);  // asyncio: offset + the bytes sent
  collector->want = 100;
  co_await collector->got_all.wait();
  EXPECT_EQ(collector->received, content.substr(7, 100));

  // More than the file holds: what there is.
  collector->received.clear();
  collector->got_all.clear();
  collector->want = 1000;
  EXPECT_EQ(co_await aio::sendfile(*t, file, content.size() - 1000, 5000), 1000u);
  co_await collector->got_all.wait();
  EXPECT_EQ(collector->received, content.substr(content.size() - 1000));

  // Writes wait for a sendfile in progress (asyncio: "unable to write;
  // sendfile is in progress").
  int fd = std::any_cast<int>(t->get_extra_info("socket"));
  int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  collector->received.clear();
  collector->got_all.clear();
  collector->want = content.size();
  auto big = aio::create_task(aio::sendfile(*t, file));
  co_await aio::sleep(0);
  if (!big.done()) {
    EXPECT_THROW(t->write("x"), aio::RuntimeError);
  }
  EXPECT_EQ(co_await big, content.size());
  co_await collector->got_all.wait();
  EXPECT_EQ(collector->received.size(), content.size());
  EXPECT_TRUE(collector->received == content);

  t->close();
  try {
    co_await aio::sendfile(*t, file);
    ADD_FAILURE() << "expected RuntimeError";
  } catch (const aio::RuntimeError& e) {
    EXPECT_STREQ(e.what(), "Transport is closing");
  }
  co_await collector->lost.wait();
  ::close(file);
  server->close();
  co_await server->wait_closed();
}

TEST(Transports, SendfileOffsetCountAndClosing) { nettest::run(sendfile_offset_count_closing()); }

// A pipe transport has no native sendfile: the fallback reads and writes
// (asyncio's _SendfileMode.FALLBACK); with fallback=false it is an error.
aio::Task<void> sendfile_fallback_over_a_pipe() {
  std::string content = "0123456789abcdefghijklmnopqrstuvwxyz";
  int file = temp_file_with(content);
  aio::SubprocessOptions o;
  o.stdin_ = aio::Stdio::pipe;
  o.stdout_ = aio::Stdio::pipe;
  std::vector<std::string> argv{"cat"};
  auto proc = co_await aio::create_subprocess_exec(argv, o);
  try {
    co_await aio::sendfile(proc->stdin->transport(), file, 0, 0, false);
    ADD_FAILURE() << "expected SendfileNotAvailableError";
  } catch (const aio::SendfileNotAvailableError&) {
  }
  EXPECT_EQ(co_await aio::sendfile(proc->stdin->transport(), file, 5, 20), 20u);
  EXPECT_EQ(::lseek(file, 0, SEEK_CUR), 25);  // the fallback moves it too
  proc->stdin->close();
  EXPECT_EQ(co_await proc->stdout->read(), content.substr(5, 20));
  EXPECT_EQ(co_await proc->wait(), 0);
  ::close(file);
}

TEST(Transports, SendfileFallbackOverAPipe) { nettest::run(sendfile_fallback_over_a_pipe()); }

}  // namespace

namespace {

// asyncio reads "peername" and "sockname" when it makes a transport and
// closes the socket only after connection_lost() returns: both names are
// there inside connection_lost (the tutorials' print('closed', peername)),
// even after a reset, and after it, once the socket is closed; "socket" is
// there inside connection_lost and gone after.
struct NamesAtLost : aio::Protocol {
  aio::Transport* t = nullptr;
  std::shared_ptr<aio::BaseTransport> keep;  // to ask again after connection_lost
  aio::SocketAddress peer, sock;
  bool socket_at_lost = false;
  std::string error;
  aio::Event lost;
  void connection_made(aio::Transport& tr) override {
    t = &tr;
    keep = tr.shared_from_this();
  }
  void connection_lost(std::exception_ptr exc) override {
    peer = t->get_address_info("peername");
    sock = t->get_address_info("sockname");
    socket_at_lost = t->get_extra_info("socket").has_value();
    if (exc) error = aio::exception_type_name(exc);
    lost.set();
  }
};

aio::Task<void> tcp_names_after_close() {
  std::vector<std::shared_ptr<NamesAtLost>> accepted;
  aio::ProtocolFactory factory = [&accepted] {
    accepted.push_back(std::make_shared<NamesAtLost>());
    return accepted.back();
  };
  auto server = co_await aio::create_server(factory, "127.0.0.1", 0);

  // Server side, the peer resets the connection: getpeername() would fail by
  // then (ENOTCONN), the names were kept from accept.
  int raw = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(server->sockname().port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(raw, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  aio::SocketAddress raw_name = aio::getsockname(raw);
  co_await nettest::until([&] { return !accepted.empty() && accepted[0]->t; });
  if (accepted.empty()) co_return;
  linger reset{1, 0};
  ::setsockopt(raw, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  ::close(raw);  // RST
  auto s = accepted[0];
  co_await s->lost.wait();
  EXPECT_EQ(s->error, "ConnectionResetError");
  EXPECT_EQ(s->peer, raw_name);
  EXPECT_EQ(s->sock, server->sockname());
  EXPECT_TRUE(s->socket_at_lost);
  EXPECT_EQ(s->keep->get_address_info("peername"), raw_name);
  EXPECT_EQ(s->keep->get_address_info("sockname"), server->sockname());
  EXPECT_FALSE(s->keep->get_extra_info("socket").has_value());

  // Client side, closed by us.
  auto client = std::make_shared<NamesAtLost>();
  aio::ProtocolFactory cf = [client] { return client; };
  auto [t, p] = co_await aio::create_connection(cf, "127.0.0.1", server->sockname().port);
  aio::SocketAddress local = aio::getsockname(std::any_cast<int>(t->get_extra_info("socket")));
  EXPECT_EQ(t->get_address_info("peername"), server->sockname());
  EXPECT_EQ(t->get_address_info("sockname"), local);
  t->close();
  co_await client->lost.wait();
  EXPECT_EQ(client->peer, server->sockname());
  EXPECT_EQ(client->sock, local);
  EXPECT_TRUE(client->socket_at_lost);
  EXPECT_EQ(t->get_address_info("peername"), server->sockname());
  EXPECT_EQ(t->get_address_info("sockname"), local);
  EXPECT_FALSE(t->get_extra_info("socket").has_value());
  server->close();
  co_await server->wait_closed();
}

TEST(Transports, TcpPeernameAndSocknameInsideAndAfterConnectionLost) { nettest::run(tcp_names_after_close()); }

aio::Task<void> unix_names_after_close(std::string path) {
  std::vector<std::shared_ptr<NamesAtLost>> accepted;
  aio::ProtocolFactory factory = [&accepted] {
    accepted.push_back(std::make_shared<NamesAtLost>());
    return accepted.back();
  };
  auto server = co_await aio::create_unix_server(factory, path);
  auto client = std::make_shared<NamesAtLost>();
  aio::ProtocolFactory cf = [client] { return client; };
  auto [t, p] = co_await aio::create_unix_connection(cf, path);
  co_await nettest::until([&] { return !accepted.empty() && accepted[0]->t; });
  if (accepted.empty()) co_return;
  t->close();
  co_await client->lost.wait();
  co_await accepted[0]->lost.wait();
  // As Python: the client's peer is the path and its own name unnamed (""),
  // the other way round on the server side.
  const aio::SocketAddress named = aio::unix_address(path), unnamed = aio::unix_address("");
  EXPECT_EQ(client->peer, named);
  EXPECT_EQ(client->sock, unnamed);
  EXPECT_EQ(t->get_address_info("peername"), named);
  EXPECT_EQ(t->get_address_info("sockname"), unnamed);
  auto& s = accepted[0];
  EXPECT_EQ(s->peer, unnamed);
  EXPECT_EQ(s->sock, named);
  EXPECT_EQ(s->keep->get_address_info("peername"), unnamed);
  EXPECT_EQ(s->keep->get_address_info("sockname"), named);
  server->close();
  co_await server->wait_closed();
  ::unlink(path.c_str());
}

TEST(Transports, UnixPeernameAndSocknameInsideAndAfterConnectionLost) {
  // A short path is kept inside the transport, a long one on the heap.
  nettest::run(unix_names_after_close("/tmp/nf_n" + std::to_string(::getpid())));
  nettest::run(unix_names_after_close("/tmp/nf_names_with_a_path_longer_than_the_inline_room_" +
                                      std::to_string(::getpid())));
}

}  // namespace

namespace {

// is_reading() is asyncio's `not paused and not closing`, EOF or not
// (checked against CPython 3.11): true inside eof_received() and after it
// returned true (the half-close: the transport stays open for writing);
// false after it returned false (the transport closes). Reading stays over
// after EOF whatever pause_reading()/resume_reading() do: eof_received() is
// called once. (3.11 calls it again after a pause/resume around EOF, since
// resume_reading() registers the reader again; the protocol's documented
// state machine has one EOF, and we keep to that.)
struct EofProtocol : aio::Protocol {
  aio::Transport* t = nullptr;
  bool keep_open = true;
  int eofs = 0;
  bool reading_in_eof = false;
  std::string received;
  void connection_made(aio::Transport& tr) override { t = &tr; }
  void data_received(std::string_view d) override { received += d; }
  bool eof_received() override {
    ++eofs;
    reading_in_eof = t->is_reading();
    return keep_open;
  }
};

aio::Task<std::pair<std::shared_ptr<aio::Transport>, std::shared_ptr<EofProtocol>>> eof_pair(bool keep_open,
                                                                                             int& peer) {
  int sv[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  peer = sv[1];
  auto proto = std::make_shared<EofProtocol>();
  proto->keep_open = keep_open;
  aio::ProtocolFactory factory = [proto] { return proto; };
  auto [t, p] = co_await aio::connect_accepted_socket(factory, sv[0]);
  co_return std::make_pair(t, proto);
}

aio::Task<void> is_reading_around_eof() {
  int peer = -1;
  {  // eof_received() returns true: still reading, still writable.
    auto [t, p] = co_await eof_pair(true, peer);
    ::send(peer, "x", 1, 0);
    ::shutdown(peer, SHUT_WR);
    co_await nettest::until([&] { return p->eofs > 0; });
    EXPECT_EQ(p->received, "x");
    EXPECT_EQ(p->eofs, 1);
    EXPECT_TRUE(p->reading_in_eof);
    EXPECT_TRUE(t->is_reading());
    EXPECT_FALSE(t->is_closing());
    t->pause_reading();
    EXPECT_FALSE(t->is_reading());
    t->resume_reading();
    EXPECT_TRUE(t->is_reading());
    t->write("still writable");  // its writability edge reports the EOF again
    char buf[64] = {};
    co_await nettest::until([&] { return ::recv(peer, buf, sizeof buf - 1, MSG_DONTWAIT) > 0; });
    EXPECT_STREQ(buf, "still writable");
    co_await aio::sleep(0.01);
    EXPECT_EQ(p->eofs, 1);
    EXPECT_TRUE(t->is_reading());
    t->close();
    EXPECT_FALSE(t->is_reading());
    co_await aio::sleep(0);
    ::close(peer);
  }
  {  // eof_received() returns false: the transport closes.
    auto [t, p] = co_await eof_pair(false, peer);
    ::shutdown(peer, SHUT_WR);
    co_await nettest::until([&] { return p->eofs > 0; });
    EXPECT_TRUE(p->reading_in_eof);
    EXPECT_TRUE(t->is_closing());
    EXPECT_FALSE(t->is_reading());
    t->resume_reading();
    EXPECT_FALSE(t->is_reading());
    co_await aio::sleep(0);
    ::close(peer);
  }
  {  // Paused when the EOF comes: delivered on resume_reading().
    auto [t, p] = co_await eof_pair(true, peer);
    t->pause_reading();
    ::shutdown(peer, SHUT_WR);
    co_await aio::sleep(0.02);
    EXPECT_EQ(p->eofs, 0);
    EXPECT_FALSE(t->is_reading());
    t->resume_reading();
    co_await nettest::until([&] { return p->eofs > 0; });
    EXPECT_EQ(p->eofs, 1);
    EXPECT_TRUE(t->is_reading());
    t->close();
    co_await aio::sleep(0);
    ::close(peer);
  }
}

TEST(Transports, IsReadingAroundEofAsAsyncio) { nettest::run(is_reading_around_eof()); }

}  // namespace
