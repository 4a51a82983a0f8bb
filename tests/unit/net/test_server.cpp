// Server options of Python 3.13 and create_server on several hosts:
// keep_alive (SO_KEEPALIVE on the accepted connections), cleanup_socket (a
// unix server removes its socket file on close, and only its own), and a
// server listening on every address of several hosts.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "net_test_util.hpp"

namespace {

using aio::SocketAddress;

// Records the socket of every connection it is made for.
struct SocketRecorder : nettest::RecordingProtocol {
  int fd = -1;
  aio::Event made;
  void connection_made(aio::Transport& t) override {
    RecordingProtocol::connection_made(t);
    fd = std::any_cast<int>(t.get_extra_info("socket"));
    made.set();
  }
};

aio::ProtocolFactory recording() {
  return [] { return std::make_shared<nettest::RecordingProtocol>(); };
}

int keep_alive_of(int fd) {
  int on = -1;
  socklen_t len = sizeof on;
  if (::getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, &len) < 0) return -1;
  return on;
}

// Connects to the server and returns SO_KEEPALIVE of the connection the server accepted.
aio::Task<int> accepted_keep_alive(aio::ServerOptions options) {
  auto served = std::make_shared<SocketRecorder>();
  aio::ProtocolFactory sf = [served] { return served; };
  auto server = co_await aio::create_server(sf, "127.0.0.1", 0, options);
  auto client = std::make_shared<nettest::RecordingProtocol>();
  aio::ProtocolFactory cf = [client] { return client; };
  auto [t, p] = co_await aio::create_connection(cf, "127.0.0.1", server->sockname().port);
  co_await served->made.wait();
  int on = keep_alive_of(served->fd);
  t->close();
  server->close();
  co_await server->wait_closed();
  co_return on;
}

aio::Task<void> keep_alive() {
  aio::ServerOptions off;
  EXPECT_EQ(co_await accepted_keep_alive(off), 0);
  aio::ServerOptions on;
  on.keep_alive = true;
  EXPECT_NE(co_await accepted_keep_alive(on), 0);
  // As asyncio, the listening sockets have it too.
  auto server = co_await aio::create_server(recording(), "127.0.0.1", 0, on);
  for (int fd : server->sockets()) EXPECT_NE(keep_alive_of(fd), 0);
  server->close();
  co_await server->wait_closed();
  // A server on a socket made without it: set on each accepted connection.
  int lsock = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(lsock, aio::inet_address("127.0.0.1", 0));
  EXPECT_EQ(keep_alive_of(lsock), 0);
  aio::ServerOptions given = on;
  given.sock = lsock;
  auto served = std::make_shared<SocketRecorder>();
  aio::ProtocolFactory sf = [served] { return served; };
  auto on_sock = co_await aio::create_server(sf, given);
  auto [t, p] = co_await aio::create_connection(recording(), "127.0.0.1", on_sock->sockname().port);
  co_await served->made.wait();
  EXPECT_NE(keep_alive_of(served->fd), 0);
  t->close();
  on_sock->close();
  co_await on_sock->wait_closed();
}

TEST(Server, KeepAliveOnTheAcceptedConnections) { nettest::run(keep_alive()); }

// ---- cleanup_socket -------------------------------------------------------------------

std::string socket_path(const char* name) {
  return "/tmp/aio-test-server-" + std::to_string(::getpid()) + "-" + name + ".sock";
}

bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

aio::Task<void> unix_server_removes_its_socket_file() {
  const std::string path = socket_path("cleanup");
  ::unlink(path.c_str());
  auto server = co_await aio::create_unix_server(recording(), path);
  EXPECT_TRUE(exists(path));
  auto [t, p] = co_await aio::create_unix_connection(recording(), path);
  t->close();
  server->close();
  EXPECT_FALSE(exists(path));  // gone at close(), as asyncio's _stop_serving
  co_await server->wait_closed();

  // cleanup_socket = false: the file stays.
  aio::ServerOptions keep;
  keep.cleanup_socket = false;
  auto kept = co_await aio::create_unix_server(recording(), path, keep);
  kept->close();
  co_await kept->wait_closed();
  EXPECT_TRUE(exists(path));
  ::unlink(path.c_str());

  // A server on a socket bound elsewhere: its file is removed too.
  int fd = aio::make_socket(AF_UNIX, SOCK_STREAM);
  aio::bind_socket(fd, aio::unix_address(path));
  aio::ServerOptions given;
  given.sock = fd;
  auto on_sock = co_await aio::create_unix_server(recording(), given);
  EXPECT_TRUE(exists(path));
  on_sock->close();
  co_await on_sock->wait_closed();
  EXPECT_FALSE(exists(path));
}

TEST(Server, UnixServerRemovesItsSocketFileOnClose) { nettest::run(unix_server_removes_its_socket_file()); }

// The file at the path is not ours any more: left alone.
aio::Task<void> unix_server_leaves_a_replaced_file() {
  const std::string path = socket_path("replaced");
  ::unlink(path.c_str());
  // Another server took the path over (removing ours as stale, as asyncio).
  auto first = co_await aio::create_unix_server(recording(), path);
  auto second = co_await aio::create_unix_server(recording(), path);
  first->close();
  co_await first->wait_closed();
  EXPECT_TRUE(exists(path));
  auto [t, p] = co_await aio::create_unix_connection(recording(), path);  // the second still serves there
  t->close();
  second->close();
  co_await second->wait_closed();
  EXPECT_FALSE(exists(path));

  // Someone removed the socket and put a regular file there.
  auto third = co_await aio::create_unix_server(recording(), path);
  ::unlink(path.c_str());
  std::ofstream(path) << "not a socket";
  third->close();
  co_await third->wait_closed();
  EXPECT_TRUE(exists(path));
  ::unlink(path.c_str());
}

TEST(Server, UnixServerLeavesAFileThatReplacedItsSocket) { nettest::run(unix_server_leaves_a_replaced_file()); }

// ---- several hosts --------------------------------------------------------------------

bool ipv6_loopback_available() {
  int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 sa{};
  sa.sin6_family = AF_INET6;
  sa.sin6_addr = in6addr_loopback;
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  ::close(fd);
  return ok;
}

aio::Task<void> echo_a_line(std::shared_ptr<aio::StreamReader> r, std::shared_ptr<aio::StreamWriter> w) {
  std::string line = co_await r->readline();
  w->write("echo: " + line);
  co_await w->drain();
  w->close();
}

aio::Task<void> server_on_several_hosts(std::vector<std::string> hosts) {
  auto server = co_await aio::start_server(echo_a_line, hosts, 0);
  // One socket per host (port 0: each its own port), each accepting.
  std::vector<std::string> listening;
  for (int fd : server->sockets()) {
    SocketAddress where = aio::getsockname(fd);
    listening.push_back(where.host);
    auto opening = aio::open_connection(where.host, where.port);
    auto [reader, writer] = co_await opening;
    writer->write("hi " + where.host + "\n");
    EXPECT_EQ(co_await reader->readline(), "echo: hi " + where.host + "\n");
    writer->close();
    co_await writer->wait_closed();
  }
  EXPECT_EQ(listening, hosts);
  server->close();
  co_await server->wait_closed();

  // An address given twice is listened on once; no hosts at all is an OSError.
  std::vector<std::string> twice{hosts[0], hosts[0]};
  auto once = co_await aio::create_server(recording(), twice, 0);
  EXPECT_EQ(once->sockets().size(), 1u);
  once->close();
  co_await once->wait_closed();
  auto none = aio::create_server(recording(), std::vector<std::string>{}, 0);
  EXPECT_THROW(co_await none, aio::OSError);
}

TEST(Server, ListensOnEveryHostIPv4AndIPv6) {
  if (!ipv6_loopback_available()) GTEST_SKIP() << "no IPv6 loopback (::1) here";
  nettest::run(server_on_several_hosts({"127.0.0.1", "::1"}));
}

TEST(Server, ListensOnEveryHostTwoIPv4Loopbacks) { nettest::run(server_on_several_hosts({"127.0.0.1", "127.0.0.2"})); }

}  // namespace
