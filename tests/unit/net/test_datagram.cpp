// UDP: create_datagram_endpoint round trip.
#include <gtest/gtest.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <any>
#include <exception>
#include <string>
#include <vector>

#include "net_test_util.hpp"

namespace {

struct EchoUdp : aio::DatagramProtocol {
  aio::DatagramTransport* t = nullptr;
  void connection_made(aio::DatagramTransport& tr) override { t = &tr; }
  void datagram_received(std::string_view data, const aio::SocketAddress& addr) override {
    std::string reply = "echo:" + std::string(data);
    t->sendto(reply, addr);
  }
};

struct Client : aio::DatagramProtocol {
  std::vector<std::string> got;
  aio::Event done;
  bool lost = false;
  void datagram_received(std::string_view data, const aio::SocketAddress&) override {
    got.emplace_back(data);
    if (got.size() == 3) done.set();
  }
  void connection_lost(std::exception_ptr) override { lost = true; }
};

aio::Task<void> udp_roundtrip() {
  aio::DatagramOptions sopts;
  sopts.local_addr = aio::inet_address("127.0.0.1", 0);
  aio::DatagramProtocolFactory factory1 = [] { return std::make_shared<EchoUdp>(); };
  auto [st, sp] = co_await aio::create_datagram_endpoint(factory1, sopts);
  auto saddr = st->get_address_info("sockname");
  aio::DatagramOptions copts;
  copts.remote_addr = saddr;
  auto client = std::make_shared<Client>();
  aio::DatagramProtocolFactory factory2 = [client] { return client; };
  auto [ct, cp] = co_await aio::create_datagram_endpoint(factory2, copts);
  EXPECT_EQ(ct->get_address_info("peername"), saddr);
  for (int i = 0; i < 3; ++i) ct->sendto("ping" + std::to_string(i));
  co_await client->done.wait();
  std::vector<std::string> want{"echo:ping0", "echo:ping1", "echo:ping2"};
  EXPECT_EQ(client->got, want);
  ct->close();
  st->close();
  co_await aio::sleep(0);
  co_await aio::sleep(0);
  EXPECT_TRUE(client->lost);
}

TEST(Datagram, RoundTrip) { nettest::run(udp_roundtrip()); }

}  // namespace

namespace {

struct Recorder : aio::DatagramProtocol {
  std::vector<std::string> got;
  std::vector<std::exception_ptr> errors;
  int lost = 0;
  bool raise_on_receive = false;
  void datagram_received(std::string_view data, const aio::SocketAddress&) override {
    got.emplace_back(data);
    if (raise_on_receive) throw aio::ValueError("datagram_received failed");
  }
  void error_received(std::exception_ptr exc) override { errors.push_back(exc); }
  void connection_lost(std::exception_ptr) override { ++lost; }
};

template <class P>
aio::Task<std::pair<std::shared_ptr<aio::DatagramTransport>, std::shared_ptr<P>>> endpoint(
    aio::DatagramOptions options) {
  auto proto = std::make_shared<P>();
  aio::DatagramProtocolFactory factory = [proto] { return proto; };
  auto [t, p] = co_await aio::create_datagram_endpoint(factory, options);
  co_return std::make_pair(t, proto);
}

aio::DatagramOptions local_only() {
  aio::DatagramOptions o;
  o.local_addr = aio::inet_address("127.0.0.1", 0);
  return o;
}

aio::DatagramOptions remote_only(aio::SocketAddress a) {
  aio::DatagramOptions o;
  o.remote_addr = std::move(a);
  return o;
}

using nettest::until;

// asyncio calls datagram_received straight from the reader callback: when it
// raises, the loop's exception handler gets it and the endpoint stays open
// (it is a message-at-a-time protocol: one bad datagram is not a broken
// connection).
aio::Task<void> receiver_that_raises() {
  auto& loop = aio::get_running_loop();
  std::vector<std::string> reported;
  loop.set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext& ctx) {
    reported.push_back(ctx.message);
  });
  auto [st, server] = co_await endpoint<Recorder>(local_only());
  server->raise_on_receive = true;
  auto [ct, client] = co_await endpoint<Recorder>(remote_only(st->get_address_info("sockname")));
  ct->sendto("one");
  ct->sendto("two");
  co_await until([&] { return server->got.size() == 2; });
  EXPECT_EQ(server->got, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(reported.size(), 2u);
  EXPECT_FALSE(st->is_closing());
  EXPECT_EQ(server->lost, 0);
  server->raise_on_receive = false;
  ct->sendto("three");
  co_await until([&] { return server->got.size() == 3; });
  EXPECT_EQ(server->got.size(), 3u);
  st->close();
  ct->close();
  co_await aio::sleep(0);
  loop.set_exception_handler(nullptr);
}

TEST(Datagram, ReceiverThatRaisesIsReportedAndTheEndpointStaysOpen) { nettest::run(receiver_that_raises()); }

aio::Task<void> connected_endpoint() {
  // A port nobody listens on: the kernel answers with ICMP port unreachable.
  int probe = aio::make_socket(AF_INET, SOCK_DGRAM);
  aio::bind_socket(probe, aio::inet_address("127.0.0.1", 0));
  aio::SocketAddress dead = aio::getsockname(probe);
  ::close(probe);
  auto [t, p] = co_await endpoint<Recorder>(remote_only(dead));
  EXPECT_EQ(t->get_address_info("peername"), dead);
  EXPECT_EQ(t->get_address_info("sockname").host, "127.0.0.1");
  int fd = std::any_cast<int>(t->get_extra_info("socket"));
  EXPECT_GE(fd, 0);
  EXPECT_FALSE(t->get_extra_info("no-such-key").has_value());
  // The endpoint owns its socket: no add_reader on it (asyncio: RuntimeError).
  EXPECT_THROW(aio::add_reader(aio::get_running_loop(), fd, [] {}), aio::RuntimeError);

  // Another address than the connected one: ValueError, as asyncio.
  try {
    t->sendto("x", aio::inet_address("127.0.0.1", dead.port == 9 ? 10 : 9));
    ADD_FAILURE() << "expected ValueError";
  } catch (const aio::ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Invalid address: must be None or"), std::string::npos);
  }
  t->sendto("x", dead);  // the connected address itself is fine

  // As asyncio: the ICMP error arrives as the socket's pending error, which
  // the next read reports through error_received() at once, without
  // waiting for another send; one error per unreachable datagram.
  t->sendto("ping");
  co_await until([&] { return !p->errors.empty(); });
  co_await aio::sleep(0.02);
  EXPECT_EQ(p->errors.size(), 1u);
  t->sendto("ping");
  co_await until([&] { return p->errors.size() >= 2; });
  co_await aio::sleep(0.02);
  EXPECT_EQ(p->errors.size(), 2u);
  if (p->errors.empty()) co_return;
  try {
    std::rethrow_exception(p->errors[0]);
  } catch (const aio::ConnectionRefusedError& e) {
    EXPECT_EQ(e.errno_value(), ECONNREFUSED);
  } catch (...) {
    ADD_FAILURE() << "expected ConnectionRefusedError";
  }
  EXPECT_FALSE(t->is_closing());  // error_received does not close
  EXPECT_EQ(t->get_write_buffer_size(), 0u);

  t->close();
  EXPECT_TRUE(t->is_closing());
  co_await aio::sleep(0);
  EXPECT_EQ(p->lost, 1);
  EXPECT_FALSE(aio::remove_reader(aio::get_running_loop(), fd));  // released with the socket
  t->sendto("after close");  // dropped quietly (asyncio logs after 5 such)
  t->abort();                // and nothing more happens
  co_await aio::sleep(0);
  EXPECT_EQ(p->lost, 1);
}

TEST(Datagram, ConnectedEndpointAddressesErrorsAndClose) { nettest::run(connected_endpoint()); }

}  // namespace

namespace {

// asyncio's datagram transport reads with max_size = 256 KiB: a unix
// datagram larger than 64 KiB arrives whole (UDP's own limit is just under
// 64 KiB; AF_UNIX datagrams go up to the socket buffer size).
aio::Task<void> large_unix_datagram() {
  std::string server_path = "/tmp/wtnet_dgram_s_" + std::to_string(::getpid());
  std::string client_path = "/tmp/wtnet_dgram_c_" + std::to_string(::getpid());
  ::unlink(server_path.c_str());
  ::unlink(client_path.c_str());
  aio::DatagramOptions so;
  so.local_addr = aio::unix_address(server_path);
  auto [st, server] = co_await endpoint<Recorder>(so);
  aio::DatagramOptions co;
  co.local_addr = aio::unix_address(client_path);
  co.remote_addr = aio::unix_address(server_path);
  auto [ct, client] = co_await endpoint<Recorder>(co);
  std::string big(100000, 'd');
  ct->sendto(big);
  co_await until([&] { return !server->got.empty() || !client->errors.empty(); });
  EXPECT_TRUE(client->errors.empty());
  EXPECT_EQ(server->got.size(), 1u);
  if (!server->got.empty()) {
    EXPECT_EQ(server->got[0].size(), big.size());
  }
  ct->close();
  st->close();
  co_await aio::sleep(0);
  ::unlink(server_path.c_str());
  ::unlink(client_path.c_str());
}

TEST(Datagram, UnixDatagramOverSixtyFourKilobytesArrivesWhole) { nettest::run(large_unix_datagram()); }

}  // namespace

namespace {

// Flow control, as asyncio's _SelectorDatagramTransport: datagrams the socket
// cannot take are queued, pause_writing() once over the high-water mark,
// resume_writing() once drained to the low-water mark. A connected unix
// datagram socket blocks for sure when its peer does not read (the peer's
// queue holds net.unix.max_dgram_qlen datagrams), where loopback UDP would
// drop them instead.
struct FlowRecorder : aio::DatagramProtocol {
  aio::DatagramTransport* t = nullptr;
  std::vector<std::pair<std::string, std::size_t>> events;  // (event, buffer size then)
  void connection_made(aio::DatagramTransport& tr) override { t = &tr; }
  void pause_writing() override { events.emplace_back("pause", t->get_write_buffer_size()); }
  void resume_writing() override { events.emplace_back("resume", t->get_write_buffer_size()); }
  void error_received(std::exception_ptr exc) override { events.emplace_back("error", 0); }
};

int count_events(const std::vector<std::pair<std::string, std::size_t>>& events, const std::string& name) {
  int n = 0;
  for (auto& e : events) n += e.first == name;
  return n;
}

aio::Task<void> datagram_flow_control() {
  std::string path = "/tmp/nf_dgram_peer_" + std::to_string(::getpid());
  ::unlink(path.c_str());
  int peer = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  aio::bind_socket(peer, aio::unix_address(path));
  auto [t, p] = co_await endpoint<FlowRecorder>(remote_only(aio::unix_address(path)));

  // The marks: asyncio's defaults and argument checks, as Transport's.
  EXPECT_EQ(t->get_write_buffer_limits(), std::make_pair(std::size_t(16 * 1024), std::size_t(64 * 1024)));
  try {
    t->set_write_buffer_limits(10, 20);
    ADD_FAILURE() << "expected ValueError";
  } catch (const aio::ValueError& e) {
    EXPECT_STREQ(e.what(), "high (10) must be >= low (20) must be >= 0");
  }
  t->set_write_buffer_limits(-1, 1000);  // high defaults to 4 * low
  EXPECT_EQ(t->get_write_buffer_limits(), std::make_pair(std::size_t(1000), std::size_t(4000)));
  EXPECT_EQ(t->get_write_buffer_size(), 0u);

  // Fill the peer's queue: the kernel refuses, the transport queues, and
  // past 4000 bytes the protocol is paused, once.
  const std::string datagram(1000, 'u');
  int sent = 0;
  while (p->events.empty() && sent < 10000) {
    t->sendto(datagram);
    ++sent;
  }
  EXPECT_EQ(p->events.size(), 1u);
  if (p->events.empty()) co_return;
  EXPECT_EQ(p->events[0].first, "pause");
  // Each queued datagram counts its bytes and 8 more (asyncio's _header_size).
  EXPECT_EQ(p->events[0].second, 4u * 1008);
  std::size_t at_pause = t->get_write_buffer_size();
  for (int i = 0; i < 20; ++i) t->sendto(datagram);  // ignoring the pause: still queued
  sent += 20;
  EXPECT_EQ(t->get_write_buffer_size(), at_pause + 20 * 1008);
  EXPECT_EQ(count_events(p->events, "pause"), 1);

  // The peer reads: the queue drains and the protocol resumes, once.
  int received = 0;
  char buf[2048];
  for (int i = 0; i < 400 && received < sent; ++i) {
    while (::recv(peer, buf, sizeof buf, 0) > 0) ++received;
    co_await aio::sleep(0.005);
  }
  EXPECT_EQ(received, sent);  // nothing lost on the way
  EXPECT_EQ(t->get_write_buffer_size(), 0u);
  EXPECT_EQ(count_events(p->events, "pause"), 1);
  EXPECT_EQ(count_events(p->events, "resume"), 1);
  if (p->events.size() >= 2) {
    EXPECT_LE(p->events[1].second, 1000u);
  }
  EXPECT_EQ(count_events(p->events, "error"), 0);

  // New marks are checked against what is queued at once, as asyncio does.
  t->set_write_buffer_limits(0, 0);
  EXPECT_EQ(count_events(p->events, "pause"), 1);  // nothing queued: no pause
  t->close();
  co_await aio::sleep(0);
  ::close(peer);
  ::unlink(path.c_str());
}

TEST(Datagram, FlowControlPausesAboveHighWaterAndResumesWhenDrained) { nettest::run(datagram_flow_control()); }

}  // namespace

namespace {

// As the stream transports (test_transports.cpp): "peername" and "sockname"
// inside connection_lost and after it; the socket is closed only once
// connection_lost has returned. An endpoint with no remote address has no
// "peername" (asyncio: None).
struct DatagramNamesAtLost : aio::DatagramProtocol {
  aio::DatagramTransport* t = nullptr;
  aio::SocketAddress peer, sock;
  bool socket_at_lost = false;
  bool lost = false;
  void connection_made(aio::DatagramTransport& tr) override { t = &tr; }
  void connection_lost(std::exception_ptr) override {
    peer = t->get_address_info("peername");
    sock = t->get_address_info("sockname");
    socket_at_lost = t->get_extra_info("socket").has_value();
    lost = true;
  }
};

aio::Task<void> datagram_names_after_close() {
  auto [st, server] = co_await endpoint<DatagramNamesAtLost>(local_only());
  aio::SocketAddress server_name = st->get_address_info("sockname");
  EXPECT_EQ(server_name.host, "127.0.0.1");
  EXPECT_FALSE(st->get_extra_info("peername").has_value());
  auto [ct, client] = co_await endpoint<DatagramNamesAtLost>(remote_only(server_name));
  aio::SocketAddress client_name = aio::getsockname(std::any_cast<int>(ct->get_extra_info("socket")));
  ct->close();
  st->close();
  co_await until([&] { return client->lost && server->lost; });
  EXPECT_EQ(client->peer, server_name);
  EXPECT_EQ(client->sock, client_name);
  EXPECT_TRUE(client->socket_at_lost);
  EXPECT_EQ(ct->get_address_info("peername"), server_name);
  EXPECT_EQ(ct->get_address_info("sockname"), client_name);
  EXPECT_FALSE(ct->get_extra_info("socket").has_value());
  EXPECT_TRUE(server->peer.empty());
  EXPECT_EQ(server->sock, server_name);
  EXPECT_FALSE(st->get_extra_info("peername").has_value());
  EXPECT_EQ(st->get_address_info("sockname"), server_name);
}

TEST(Datagram, PeernameAndSocknameInsideAndAfterConnectionLost) { nettest::run(datagram_names_after_close()); }

}  // namespace

namespace {

// sendto() on a closing endpoint, as CPython 3.11's _SelectorDatagramTransport
// (checked): the address is checked first, closing or not (ValueError); a
// connected endpoint drops what it is given once closing, and warns after
// five; an unconnected one still sends while its socket is open, i.e. until
// connection_lost (3.11 then fails with AttributeError; we drop quietly).
aio::Task<void> sendto_while_closing() {
  auto [st, server] = co_await endpoint<Recorder>(local_only());
  aio::SocketAddress server_name = st->get_address_info("sockname");
  aio::SocketAddress elsewhere = aio::inet_address("127.0.0.1", server_name.port == 9 ? 10 : 9);

  // Unconnected: sent after close() until connection_lost.
  auto [ut, up] = co_await endpoint<Recorder>(local_only());
  ut->close();
  EXPECT_TRUE(ut->is_closing());
  ut->sendto("sent while closing", server_name);
  co_await until([&] { return !server->got.empty(); });
  EXPECT_EQ(server->got, std::vector<std::string>{"sent while closing"});
  EXPECT_EQ(up->lost, 1);
  EXPECT_THROW(ut->sendto("no address"), aio::ValueError);  // checked even when lost
  ut->sendto("after connection_lost", server_name);           // dropped
  co_await aio::sleep(0.01);
  EXPECT_EQ(server->got.size(), 1u);
  EXPECT_TRUE(up->errors.empty());

  // Connected: dropped once closing, a wrong address is still a ValueError.
  auto [ct, cp] = co_await endpoint<Recorder>(remote_only(server_name));
  ct->close();
  EXPECT_THROW(ct->sendto("x", elsewhere), aio::ValueError);
  testing::internal::CaptureStderr();
  for (int i = 0; i < 6; ++i) ct->sendto("dropped");
  std::string warned = testing::internal::GetCapturedStderr();
  EXPECT_NE(warned.find("socket.send() raised exception."), std::string::npos) << warned;
  co_await aio::sleep(0.01);
  EXPECT_EQ(cp->lost, 1);
  EXPECT_THROW(ct->sendto("x", elsewhere), aio::ValueError);
  ct->sendto("dropped");
  co_await aio::sleep(0.01);
  EXPECT_EQ(server->got.size(), 1u);
  EXPECT_TRUE(cp->errors.empty());
  st->close();
  co_await aio::sleep(0);
}

TEST(Datagram, SendtoWhileClosingAsAsyncio) { nettest::run(sendto_while_closing()); }

}  // namespace

namespace {

// abort() with datagrams queued, as CPython 3.11 (checked): the queue is
// dropped (the peer gets only what the kernel had taken), connection_lost
// (null) follows once, a paused protocol is not resumed, and what is sent
// afterwards is dropped. One deliberate difference: get_write_buffer_size()
// is 0 afterwards (3.11 keeps reporting the dropped bytes).
struct AbortRecorder : FlowRecorder {
  std::vector<std::string> lost;
  void connection_lost(std::exception_ptr exc) override {
    lost.push_back(exc ? aio::exception_type_name(exc) : "None");
  }
};

aio::Task<void> abort_with_queued_datagrams() {
  std::string path = "/tmp/nf_dgram_abort_" + std::to_string(::getpid());
  ::unlink(path.c_str());
  int peer = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  aio::bind_socket(peer, aio::unix_address(path));
  auto [t, p] = co_await endpoint<AbortRecorder>(remote_only(aio::unix_address(path)));
  const std::string datagram(1000, 'a');
  int sent = 0;
  while (t->get_write_buffer_size() == 0 && sent < 10000) {
    t->sendto(datagram);
    ++sent;
  }
  int taken = sent - 1;  // by the kernel: the last one was queued
  for (int i = 0; i < 20; ++i) t->sendto(datagram);
  EXPECT_EQ(count_events(p->events, "pause"), 0);  // 21 * 1008 bytes: under 64 KiB
  t->set_write_buffer_limits(4000);                 // checked against the queue at once
  EXPECT_EQ(count_events(p->events, "pause"), 1);
  t->close();
  EXPECT_GT(t->get_write_buffer_size(), 0u);  // close() waits for the queue
  t->abort();
  EXPECT_TRUE(t->is_closing());
  EXPECT_EQ(t->get_write_buffer_size(), 0u);
  t->sendto(datagram);  // dropped
  EXPECT_EQ(t->get_write_buffer_size(), 0u);
  co_await aio::sleep(0.02);
  int received = 0;
  char buf[2048];
  while (::recv(peer, buf, sizeof buf, 0) > 0) ++received;
  EXPECT_EQ(received, taken);
  EXPECT_EQ(p->lost, std::vector<std::string>{"None"});
  EXPECT_EQ(count_events(p->events, "resume"), 0);
  t->abort();
  co_await aio::sleep(0);
  EXPECT_EQ(p->lost.size(), 1u);
  ::close(peer);
  ::unlink(path.c_str());
}

TEST(Datagram, AbortDropsQueuedDatagramsAsAsyncio) { nettest::run(abort_with_queued_datagrams()); }

}  // namespace

// ---- proto= and flags= (asyncio's create_datagram_endpoint) ---------------------------
namespace {

int socket_protocol(int fd) {
  int proto = -1;
  socklen_t len = sizeof proto;
  ::getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len);
  return proto;
}

template <class T>
aio::Task<std::string> error_type(aio::Task<T> task) {
  try {
    co_await task;
  } catch (...) {
    co_return aio::exception_type_name(std::current_exception());
  }
  co_return "no error";
}

aio::Task<void> proto_and_flags() {
  // proto goes to the lookups and to socket(): UDP over UDP works.
  aio::DatagramOptions sopts;
  sopts.local_addr = aio::inet_address("127.0.0.1", 0);
  sopts.proto = IPPROTO_UDP;
  aio::DatagramProtocolFactory echo = [] { return std::make_shared<EchoUdp>(); };
  auto [st, sp] = co_await aio::create_datagram_endpoint(echo, sopts);
  EXPECT_EQ(socket_protocol(std::any_cast<int>(st->get_extra_info("socket"))), IPPROTO_UDP);
  auto saddr = st->get_address_info("sockname");
  aio::DatagramOptions copts;
  copts.remote_addr = aio::inet_address("localhost", saddr.port);  // a name: getaddrinfo gets proto and flags
  copts.family = AF_INET;
  copts.proto = IPPROTO_UDP;
  auto client = std::make_shared<Client>();
  aio::DatagramProtocolFactory cf = [client] { return client; };
  auto [ct, cp] = co_await aio::create_datagram_endpoint(cf, copts);
  for (int i = 0; i < 3; ++i) ct->sendto("p" + std::to_string(i));
  co_await client->done.wait();
  EXPECT_EQ(client->got, (std::vector<std::string>{"echo:p0", "echo:p1", "echo:p2"}));
  ct->close();
  st->close();

  // TCP is no datagram protocol: the lookup of a name refuses it (gaierror),
  // and so does socket() for an endpoint of a family alone (OSError).
  aio::DatagramOptions tcp_name = copts;
  tcp_name.proto = IPPROTO_TCP;
  EXPECT_EQ(co_await error_type(aio::create_datagram_endpoint(cf, tcp_name)), "gaierror");
  aio::DatagramOptions tcp_family;
  tcp_family.family = AF_INET;
  tcp_family.proto = IPPROTO_TCP;
  EXPECT_EQ(co_await error_type(aio::create_datagram_endpoint(cf, tcp_family)), "OSError");
  // flags: AI_NUMERICHOST refuses a name.
  aio::DatagramOptions numeric = copts;
  numeric.flags = AI_NUMERICHOST;
  EXPECT_EQ(co_await error_type(aio::create_datagram_endpoint(cf, numeric)), "gaierror");
  // Not with sock= (asyncio lists them among the "socket modifier" arguments).
  int fd = aio::make_socket(AF_INET, SOCK_DGRAM);
  aio::DatagramOptions given;
  given.sock = fd;
  given.proto = IPPROTO_UDP;
  EXPECT_EQ(co_await error_type(aio::create_datagram_endpoint(cf, given)), "ValueError");
  ::close(fd);
  co_await aio::sleep(0);
}

TEST(Datagram, ProtoAndFlagsGoToTheLookupsAndTheSocket) { nettest::run(proto_and_flags()); }

// set_protocol: the datagrams that arrive next, and connection_lost, go to
// the new protocol.
aio::Task<void> get_and_set_protocol() {
  aio::DatagramOptions sopts;
  sopts.local_addr = aio::inet_address("127.0.0.1", 0);
  auto first = std::make_shared<Client>();
  aio::DatagramProtocolFactory factory = [first] { return first; };
  auto [t, p] = co_await aio::create_datagram_endpoint(factory, sopts);
  EXPECT_EQ(t->get_protocol(), first);
  auto second = std::make_shared<Client>();
  t->set_protocol(second);
  EXPECT_EQ(t->get_protocol(), second);
  EXPECT_THROW(t->set_protocol(nullptr), aio::TypeError);
  int sender = aio::make_socket(AF_INET, SOCK_DGRAM);
  auto where = t->get_address_info("sockname");
  for (int i = 0; i < 3; ++i) {
    std::string datagram = "d" + std::to_string(i);
    auto sending = aio::sock_sendto(sender, datagram, where);
    co_await sending;
  }
  co_await second->done.wait();
  EXPECT_EQ(second->got, (std::vector<std::string>{"d0", "d1", "d2"}));
  EXPECT_TRUE(first->got.empty());
  t->close();
  co_await nettest::until([&] { return second->lost; });
  EXPECT_TRUE(second->lost);
  EXPECT_FALSE(first->lost);
  aio::close_socket(sender);
}

TEST(Datagram, GetAndSetProtocol) { nettest::run(get_and_set_protocol()); }

}  // namespace
