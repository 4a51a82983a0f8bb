// create_connection's address handling (runtime/net/connect.hpp): Happy
// Eyeballs, interleave and all_errors, plus the sock= forms of
// create_connection, create_server and create_datagram_endpoint.
//
// The race is given its addresses directly (connect_addresses), as asyncio's
// own tests replace getaddrinfo: no name here resolves to several addresses.
// A "slow" address is a listener whose accept queue is full: the kernel drops
// the SYN, so a connect to it stays in progress, as to a host that does not
// answer.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/net.hpp"
#include "net/connect.hpp"
#include "net_test_util.hpp"

namespace {

using aio::SocketAddress;

bool fd_is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

// connect(2) on a socket of our own, blocking, as a user would before
// handing it over with sock=.
int raw_connect(int fd, const SocketAddress& a) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (a.family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<std::uint16_t>(a.port));
    ::inet_pton(AF_INET6, a.host.c_str(), &in6->sin6_addr);
    len = sizeof *in6;
  } else {
    auto* in4 = reinterpret_cast<sockaddr_in*>(&ss);
    in4->sin_family = AF_INET;
    in4->sin_port = htons(static_cast<std::uint16_t>(a.port));
    ::inet_pton(AF_INET, a.host.c_str(), &in4->sin_addr);
    len = sizeof *in4;
  }
  return ::connect(fd, reinterpret_cast<sockaddr*>(&ss), len);
}

// A listener no connection gets through to any more, and the connects that
// filled its queue (kept open: closing them would make room).
struct SlowAddress {
  int listener = -1;
  std::vector<int> fillers;
  SocketAddress address;

  explicit SlowAddress(const std::string& host) {
    listener = aio::make_socket(host.find(':') == std::string::npos ? AF_INET : AF_INET6, SOCK_STREAM);
    aio::bind_socket(listener, aio::inet_address(host, 0));
    ::listen(listener, 0);
    address = aio::getsockname(listener);
    // The queue holds backlog + 1; two more make sure the next one waits.
    for (int i = 0; i < 3; ++i) {
      int c = aio::make_socket(address.family, SOCK_STREAM);  // non-blocking: the connect stays in progress
      (void)raw_connect(c, address);
      fillers.push_back(c);
    }
  }
  ~SlowAddress() {
    for (int c : fillers) ::close(c);
    ::close(listener);
  }
};

// A listener whose connects complete (the kernel accepts them for us).
struct FastAddress {
  int listener = -1;
  SocketAddress address;
  explicit FastAddress(const std::string& host) {
    listener = aio::make_socket(host.find(':') == std::string::npos ? AF_INET : AF_INET6, SOCK_STREAM);
    aio::bind_socket(listener, aio::inet_address(host, 0));
    ::listen(listener, 64);
    address = aio::getsockname(listener);
  }
  ~FastAddress() { ::close(listener); }
};

// An address where connect is refused at once: a port nobody listens on.
SocketAddress refused_address(const std::string& host) {
  int s = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(s, aio::inet_address(host, 0));
  SocketAddress a = aio::getsockname(s);
  ::close(s);  // bound, never listened: the port refuses until reused
  return a;
}

aio::DatagramProtocolFactory plain_datagram = [] { return std::make_shared<aio::DatagramProtocol>(); };

aio::ProtocolFactory recording() {
  return [] { return std::make_shared<nettest::RecordingProtocol>(); };
}

SocketAddress peer_of(aio::Transport& t) { return std::any_cast<SocketAddress>(t.get_extra_info("peername")); }

std::vector<std::string> hosts_of(const std::vector<SocketAddress>& addrs) {
  std::vector<std::string> out;
  for (auto& a : addrs) out.push_back(a.host);
  return out;
}

}  // namespace

// Expected orders are those of CPython's asyncio.base_events._interleave_addrinfos
// on the same list.
TEST(Connect, InterleaveOrdersAddressesAsAsyncio) {
  std::vector<SocketAddress> addrs = {aio::inet_address("::1", 1), aio::inet_address("::2", 1),
                                      aio::inet_address("10.0.0.1", 1), aio::inet_address("10.0.0.2", 1),
                                      aio::inet_address("::3", 1)};
  using V = std::vector<std::string>;
  EXPECT_EQ(hosts_of(aio::net::detail::interleave_addresses(addrs, 1)),
            (V{"::1", "10.0.0.1", "::2", "10.0.0.2", "::3"}));
  EXPECT_EQ(hosts_of(aio::net::detail::interleave_addresses(addrs, 2)),
            (V{"::1", "::2", "10.0.0.1", "::3", "10.0.0.2"}));
  EXPECT_EQ(hosts_of(aio::net::detail::interleave_addresses(addrs, 3)),
            (V{"::1", "::2", "::3", "10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(hosts_of(aio::net::detail::interleave_addresses(addrs, 9)),
            (V{"::1", "::2", "::3", "10.0.0.1", "10.0.0.2"}));
}

aio::Task<void> happy_eyeballs_passes_a_slow_address() {
  SlowAddress slow("127.0.0.1");
  FastAddress fast("127.0.0.2");
  int fds_before = nettest::open_fd_count();
  aio::ConnectionOptions options;
  options.happy_eyeballs_delay = 0.05;
  double t0 = aio::get_running_loop().time();
  auto connecting = aio::net::detail::connect_addresses(recording(), {slow.address, fast.address}, options);
  auto [t, p] = co_await connecting;
  double took = aio::get_running_loop().time() - t0;
  EXPECT_EQ(peer_of(*t), fast.address);
  EXPECT_GE(took, 0.04);  // the second attempt waited for the delay
  // The slow attempt was cancelled and its socket closed: only ours is new.
  EXPECT_EQ(nettest::open_fd_count(), fds_before + 1);
  t->close();
}

TEST(Connect, HappyEyeballsConnectsPastASlowAddress) { nettest::run(happy_eyeballs_passes_a_slow_address(), 10); }

aio::Task<void> in_turn_waits_for_a_slow_address() {
  SlowAddress slow("127.0.0.1");
  FastAddress fast("127.0.0.2");
  int fds_before = nettest::open_fd_count();
  auto connecting = aio::net::detail::connect_addresses(recording(), {slow.address, fast.address}, {});
  bool timed_out = false;
  try {
    (void)co_await aio::wait_for(std::move(connecting), 0.3);
  } catch (const aio::TimeoutError&) {
    timed_out = true;
  }
  EXPECT_TRUE(timed_out) << "without happy_eyeballs_delay the second address waits for the first to fail";
  EXPECT_EQ(nettest::open_fd_count(), fds_before);  // the cancelled connect closed its socket
}

TEST(Connect, WithoutHappyEyeballsASlowFirstAddressHoldsUpTheRest) {
  nettest::run(in_turn_waits_for_a_slow_address(), 10);
}

aio::Task<void> failure_starts_the_next_at_once() {
  FastAddress fast("127.0.0.2");
  aio::ConnectionOptions options;
  options.happy_eyeballs_delay = 30;  // far longer than the test's deadline
  auto connecting =
      aio::net::detail::connect_addresses(recording(), {refused_address("127.0.0.1"), fast.address}, options);
  auto [t, p] = co_await aio::wait_for(std::move(connecting), 5.0);
  EXPECT_EQ(peer_of(*t), fast.address);
  t->close();
}

TEST(Connect, HappyEyeballsStartsTheNextAttemptWhenOneFails) { nettest::run(failure_starts_the_next_at_once(), 10); }

aio::Task<void> all_fail(bool happy, bool all_errors) {
  SocketAddress a = refused_address("127.0.0.1"), b = refused_address("127.0.0.2");
  aio::ConnectionOptions options;
  if (happy) options.happy_eyeballs_delay = 0.01;
  options.all_errors = all_errors;
  int fds_before = nettest::open_fd_count();
  std::string what;
  std::size_t group = 0;
  try {
    auto connecting = aio::net::detail::connect_addresses(recording(), {a, b}, options);
    (void)co_await connecting;
  } catch (const aio::ExceptionGroup& g) {
    what = g.what();
    group = g.exceptions().size();
    for (auto& e : g.exceptions()) EXPECT_EQ(aio::exception_type_name(e), "ConnectionRefusedError");
  } catch (const aio::OSError& e) {
    what = e.what();
  }
  EXPECT_EQ(nettest::open_fd_count(), fds_before);
  if (all_errors) {
    EXPECT_EQ(group, 2u);
    EXPECT_EQ(what, "create_connection failed (2 sub-exceptions)");
  } else {
    EXPECT_EQ(group, 0u);
    EXPECT_NE(what.find("Multiple exceptions: "), std::string::npos) << what;
    EXPECT_NE(what.find(a.to_string()), std::string::npos) << what;
    EXPECT_NE(what.find(b.to_string()), std::string::npos) << what;
  }
}

TEST(Connect, EveryAddressRefusedIsOneOSErrorNamingEach) {
  nettest::run(all_fail(false, false));
  nettest::run(all_fail(true, false));
}

TEST(Connect, AllErrorsRaisesAnExceptionGroupOfTheAttempts) {
  nettest::run(all_fail(false, true));
  nettest::run(all_fail(true, true));
}

aio::Task<void> cancelled_race_closes_every_socket() {
  SlowAddress s1("127.0.0.1"), s2("127.0.0.2"), s3("127.0.0.3");
  int fds_before = nettest::open_fd_count();
  aio::ConnectionOptions options;
  options.happy_eyeballs_delay = 0.02;
  auto connecting = aio::net::detail::connect_addresses(recording(), {s1.address, s2.address, s3.address}, options);
  auto task = aio::create_task(std::move(connecting));
  co_await aio::sleep(0.2);  // all three attempts are in progress
  EXPECT_FALSE(task.done());
  EXPECT_EQ(nettest::open_fd_count(), fds_before + 3);
  task.cancel();
  bool cancelled = false;
  try {
    (void)co_await task;
  } catch (const aio::CancelledError&) {
    cancelled = true;
  }
  EXPECT_TRUE(cancelled);
  EXPECT_EQ(nettest::open_fd_count(), fds_before);
}

TEST(Connect, CancellingTheRaceClosesEveryAttempt) { nettest::run(cancelled_race_closes_every_socket(), 10); }

aio::Task<void> bad_race_options() {
  aio::ConnectionOptions options;
  options.happy_eyeballs_delay = -1;
  EXPECT_THROW((void)co_await aio::create_connection(recording(), "127.0.0.1", 1, options), aio::ValueError);
  options.happy_eyeballs_delay.reset();
  options.interleave = -2;
  EXPECT_THROW((void)co_await aio::create_connection(recording(), "127.0.0.1", 1, options), aio::ValueError);
}

TEST(Connect, NegativeDelayOrInterleaveIsAValueError) { nettest::run(bad_race_options()); }

// ---- sock= ----------------------------------------------------------------

aio::Task<void> connection_on_a_given_socket() {
  FastAddress fast("127.0.0.1");
  int fd = aio::make_socket(AF_INET, SOCK_STREAM);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  EXPECT_EQ(raw_connect(fd, fast.address), 0);

  aio::ConnectionOptions both;
  both.sock = fd;
  EXPECT_THROW((void)co_await aio::create_connection(recording(), "127.0.0.1", fast.address.port, both),
               aio::ValueError);
  aio::ConnectionOptions neither;
  EXPECT_THROW((void)co_await aio::create_connection(recording(), neither), aio::ValueError);
  EXPECT_TRUE(fd_is_open(fd));  // refused: still ours

  aio::ConnectionOptions given;
  given.sock = fd;
  auto [t, p] = co_await aio::create_connection(recording(), given);
  EXPECT_EQ(peer_of(*t), fast.address);
  EXPECT_NE(::fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
  t->write("hi");
  t->close();
  auto* rp = static_cast<nettest::RecordingProtocol*>(p.get());
  co_await rp->lost.wait();
  EXPECT_FALSE(fd_is_open(fd));  // the transport owned it
}

TEST(Connect, CreateConnectionOnAGivenSocket) { nettest::run(connection_on_a_given_socket()); }

aio::Task<void> wrong_kind_of_socket() {
  int udp = aio::make_socket(AF_INET, SOCK_DGRAM);
  aio::ConnectionOptions options;
  options.sock = udp;
  std::string what;
  try {
    (void)co_await aio::create_connection(recording(), options);
  } catch (const aio::ValueError& e) {
    what = e.what();
  }
  EXPECT_NE(what.find("A Stream Socket was expected"), std::string::npos) << what;
  EXPECT_THROW((void)co_await aio::connect_accepted_socket(recording(), udp), aio::ValueError);
  aio::ServerOptions server_options;
  server_options.sock = udp;
  EXPECT_THROW((void)co_await aio::create_server(recording(), server_options), aio::ValueError);
  EXPECT_TRUE(fd_is_open(udp));

  int pipefd[2];
  EXPECT_EQ(::pipe(pipefd), 0);
  options.sock = pipefd[0];
  EXPECT_THROW((void)co_await aio::create_connection(recording(), options), aio::ValueError);
  EXPECT_TRUE(fd_is_open(pipefd[0]));

  int tcp = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::DatagramOptions dgram;
  dgram.sock = tcp;
  aio::DatagramProtocolFactory dfactory = [] { return std::make_shared<aio::DatagramProtocol>(); };
  EXPECT_THROW((void)co_await aio::create_datagram_endpoint(dfactory, dgram), aio::ValueError);
  EXPECT_TRUE(fd_is_open(tcp));
  ::close(udp);
  ::close(tcp);
  ::close(pipefd[0]);
  ::close(pipefd[1]);
}

TEST(Connect, ASocketOfTheWrongKindIsRefusedAndStaysOpen) { nettest::run(wrong_kind_of_socket()); }

aio::Task<void> server_on_a_given_socket() {
  int fd = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(fd, aio::inet_address("127.0.0.1", 0));
  SocketAddress bound = aio::getsockname(fd);
  aio::ServerOptions both;
  both.sock = fd;
  EXPECT_THROW((void)co_await aio::create_server(recording(), "127.0.0.1", 0, both), aio::ValueError);
  aio::ServerOptions neither;
  EXPECT_THROW((void)co_await aio::create_server(recording(), neither), aio::ValueError);

  auto served = std::make_shared<nettest::RecordingProtocol>();
  served->want = 5;
  aio::ProtocolFactory factory = [served] { return served; };
  aio::ServerOptions given;
  given.sock = fd;
  auto server = co_await aio::create_server(factory, given);
  EXPECT_EQ(server->sockname(), bound);
  auto [t, p] = co_await aio::create_connection(recording(), "127.0.0.1", bound.port);
  t->write("hello");
  co_await served->got_all.wait();
  EXPECT_EQ(served->received, "hello");
  t->close();
  server->close();
  co_await server->wait_closed();
  EXPECT_FALSE(fd_is_open(fd));  // the server owned it
}

TEST(Connect, CreateServerOnAGivenSocket) { nettest::run(server_on_a_given_socket()); }

aio::Task<void> server_family() {
  aio::ServerOptions options;
  options.family = AF_INET;
  auto server = co_await aio::create_server(recording(), "", 0, options);
  EXPECT_FALSE(server->sockets().empty());
  for (int fd : server->sockets()) EXPECT_EQ(aio::getsockname(fd).family, AF_INET);
  server->close();
  co_await server->wait_closed();
}

TEST(Connect, CreateServerFamilyLimitsTheListeners) { nettest::run(server_family()); }

aio::Task<void> datagram_on_a_given_socket() {
  struct Collect : aio::DatagramProtocol {
    std::vector<std::string> got;
    aio::Event arrived;
    void datagram_received(std::string_view d, const SocketAddress&) override {
      got.emplace_back(d);
      arrived.set();
    }
  };
  auto server = std::make_shared<Collect>();
  aio::DatagramProtocolFactory sfactory = [server] { return server; };
  aio::DatagramOptions listen;
  listen.local_addr = aio::inet_address("127.0.0.1", 0);
  auto [st, sp] = co_await aio::create_datagram_endpoint(sfactory, listen);
  SocketAddress where = std::any_cast<SocketAddress>(st->get_extra_info("sockname"));

  // A socket connected by its owner: sendto(data) goes to its peer.
  int fd = aio::make_socket(AF_INET, SOCK_DGRAM);
  EXPECT_EQ(raw_connect(fd, where), 0);
  aio::DatagramOptions bad;
  bad.sock = fd;
  bad.local_addr = aio::inet_address("127.0.0.1", 0);
  std::string what;
  try {
    (void)co_await aio::create_datagram_endpoint(plain_datagram, bad);
  } catch (const aio::ValueError& e) {
    what = e.what();
  }
  EXPECT_EQ(what, "socket modifier keyword arguments can not be used when sock is specified. (local_addr)");
  EXPECT_TRUE(fd_is_open(fd));

  aio::DatagramOptions given;
  given.sock = fd;
  auto [ct, cp] = co_await aio::create_datagram_endpoint(plain_datagram, given);
  EXPECT_EQ(std::any_cast<SocketAddress>(ct->get_extra_info("peername")), where);
  ct->sendto("ping");
  co_await server->arrived.wait();
  EXPECT_EQ(server->got, std::vector<std::string>{"ping"});
  ct->close();
  st->close();
  co_await aio::sleep(0);
}

TEST(Connect, DatagramEndpointOnAGivenSocket) { nettest::run(datagram_on_a_given_socket()); }

aio::Task<void> unbound_datagram_of_a_family() {
  aio::DatagramOptions none;
  EXPECT_THROW((void)co_await aio::create_datagram_endpoint(plain_datagram, none), aio::ValueError);
  aio::DatagramOptions v4;
  v4.family = AF_INET;
  auto [t, p] = co_await aio::create_datagram_endpoint(plain_datagram, v4);
  EXPECT_EQ(std::any_cast<SocketAddress>(t->get_extra_info("sockname")).family, AF_INET);
  t->close();
  co_await aio::sleep(0);
}

TEST(Connect, DatagramEndpointOfAFamilyAlone) { nettest::run(unbound_datagram_of_a_family()); }

// A start_server callback: one line back, prefixed, then close.
aio::Task<void> echo_a_line(std::shared_ptr<aio::StreamReader> r, std::shared_ptr<aio::StreamWriter> w) {
  std::string line = co_await r->readline();
  w->write("echo: " + line);
  co_await w->drain();
  w->close();
}

aio::Task<void> streams_on_given_sockets() {
  int listener = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(listener, aio::inet_address("127.0.0.1", 0));
  SocketAddress bound = aio::getsockname(listener);
  aio::ClientConnectedCallback echo = echo_a_line;
  aio::ServerOptions on_sock;
  on_sock.sock = listener;
  auto server = co_await aio::start_server(echo, on_sock);

  int fd = aio::make_socket(AF_INET, SOCK_STREAM);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  EXPECT_EQ(raw_connect(fd, bound), 0);
  aio::ConnectionOptions over;
  over.sock = fd;
  auto [reader, writer] = co_await aio::open_connection(over);
  writer->write("hi\n");
  EXPECT_EQ(co_await reader->readline(), "echo: hi\n");
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
  EXPECT_FALSE(fd_is_open(fd));
  EXPECT_FALSE(fd_is_open(listener));
}

TEST(Connect, StreamsOverGivenSockets) { nettest::run(streams_on_given_sockets()); }

// ---- sock= for the unix variants --------------------------------------------

namespace {
// connect(2) to a unix socket path, blocking, as a user would before handing
// the socket over with sock=.
int raw_unix_connect(int fd, const std::string& path) {
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::memcpy(un.sun_path, path.data(), path.size());
  return ::connect(fd, reinterpret_cast<sockaddr*>(&un), sizeof un);
}

std::string temp_socket_path(const char* name) {
  return "/tmp/aio-test-" + std::to_string(::getpid()) + "-" + name + ".sock";
}
}  // namespace

// asyncio's create_unix_server(sock=) and create_unix_connection(sock=): an
// AF_UNIX stream socket made elsewhere; path and sock together, or neither,
// or a socket of another kind are ValueErrors that leave it open and ours.
aio::Task<void> unix_variants_on_given_sockets() {
  const std::string path = temp_socket_path("given");
  ::unlink(path.c_str());
  int listener = aio::make_socket(AF_UNIX, SOCK_STREAM);
  aio::bind_socket(listener, aio::unix_address(path));

  std::string what;
  aio::ServerOptions both;
  both.sock = listener;
  try {
    (void)co_await aio::create_unix_server(recording(), path, both);
  } catch (const aio::ValueError& e) {
    what = e.what();
  }
  EXPECT_EQ(what, "path and sock can not be specified at the same time");
  aio::ServerOptions neither;
  what.clear();
  try {
    (void)co_await aio::create_unix_server(recording(), neither);
  } catch (const aio::ValueError& e) {
    what = e.what();
  }
  EXPECT_EQ(what, "path was not specified, and no sock specified");
  int tcp = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::ServerOptions wrong;
  wrong.sock = tcp;
  what.clear();
  try {
    (void)co_await aio::create_unix_server(recording(), wrong);
  } catch (const aio::ValueError& e) {
    what = e.what();
  }
  EXPECT_NE(what.find("A UNIX Domain Stream Socket was expected"), std::string::npos) << what;
  EXPECT_TRUE(fd_is_open(listener));
  EXPECT_TRUE(fd_is_open(tcp));

  auto served = std::make_shared<nettest::RecordingProtocol>();
  served->want = 5;
  aio::ProtocolFactory factory = [served] { return served; };
  aio::ServerOptions given;
  given.sock = listener;
  auto server = co_await aio::create_unix_server(factory, given);
  EXPECT_EQ(server->sockname().path, path);

  int client = aio::make_socket(AF_UNIX, SOCK_STREAM);
  ::fcntl(client, F_SETFL, ::fcntl(client, F_GETFL) & ~O_NONBLOCK);
  EXPECT_EQ(raw_unix_connect(client, path), 0);
  aio::ConnectionOptions cboth;
  cboth.sock = client;
  what.clear();
  try {
    (void)co_await aio::create_unix_connection(recording(), path, cboth);
  } catch (const aio::ValueError& e) {
    what = e.what();
  }
  EXPECT_EQ(what, "path and sock can not be specified at the same time");
  aio::ConnectionOptions cneither;
  what.clear();
  try {
    (void)co_await aio::create_unix_connection(recording(), cneither);
  } catch (const aio::ValueError& e) {
    what = e.what();
  }
  EXPECT_EQ(what, "no path and sock were specified");
  aio::ConnectionOptions cwrong;
  cwrong.sock = tcp;
  EXPECT_THROW((void)co_await aio::create_unix_connection(recording(), cwrong), aio::ValueError);
  int unix_dgram = aio::make_socket(AF_UNIX, SOCK_DGRAM);
  cwrong.sock = unix_dgram;
  EXPECT_THROW((void)co_await aio::create_unix_connection(recording(), cwrong), aio::ValueError);
  EXPECT_TRUE(fd_is_open(client));
  EXPECT_TRUE(fd_is_open(tcp));
  EXPECT_TRUE(fd_is_open(unix_dgram));

  aio::ConnectionOptions cgiven;
  cgiven.sock = client;
  auto [t, p] = co_await aio::create_unix_connection(recording(), cgiven);
  EXPECT_EQ(std::any_cast<SocketAddress>(t->get_extra_info("peername")).path, path);
  t->write("hello");
  co_await served->got_all.wait();
  EXPECT_EQ(served->received, "hello");
  t->close();
  auto* rp = static_cast<nettest::RecordingProtocol*>(p.get());
  co_await rp->lost.wait();
  EXPECT_FALSE(fd_is_open(client));  // the transport owned it
  server->close();
  co_await server->wait_closed();
  EXPECT_FALSE(fd_is_open(listener));  // the server owned it
  ::close(tcp);
  ::close(unix_dgram);
  ::unlink(path.c_str());
}

TEST(Connect, UnixVariantsOnGivenSockets) { nettest::run(unix_variants_on_given_sockets()); }

aio::Task<void> unix_streams_on_given_sockets() {
  const std::string path = temp_socket_path("streams");
  ::unlink(path.c_str());
  int listener = aio::make_socket(AF_UNIX, SOCK_STREAM);
  aio::bind_socket(listener, aio::unix_address(path));
  aio::ClientConnectedCallback echo = echo_a_line;
  aio::ServerOptions on_sock;
  on_sock.sock = listener;
  auto server = co_await aio::start_unix_server(echo, on_sock);

  int fd = aio::make_socket(AF_UNIX, SOCK_STREAM);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  EXPECT_EQ(raw_unix_connect(fd, path), 0);
  aio::ConnectionOptions over;
  over.sock = fd;
  auto [reader, writer] = co_await aio::open_unix_connection(over);
  writer->write("hi\n");
  EXPECT_EQ(co_await reader->readline(), "echo: hi\n");
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
  EXPECT_FALSE(fd_is_open(fd));
  EXPECT_FALSE(fd_is_open(listener));
  ::unlink(path.c_str());
}

TEST(Connect, UnixStreamsOnGivenSockets) { nettest::run(unix_streams_on_given_sockets()); }
