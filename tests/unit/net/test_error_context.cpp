// The context keys asyncio's network layer gives the loop's exception
// handler ('transport', 'protocol', 'socket'), and how the default handler
// prints them. CPython 3.11 prints, for a protocol whose data_received raises:
//     Fatal error: protocol.data_received() call failed.
//     protocol: <__main__.P object at 0x7ff84c99e610>
//     transport: <_SelectorSocketTransport fd=12 read=polling write=<idle, bufsize=0>>
//     Traceback (most recent call last): ...
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "net/internal.hpp"
#include "net_test_util.hpp"

namespace {

using nettest::until;

struct RaisingProtocol : aio::Protocol {
  void data_received(std::string_view) override { throw aio::ValueError("boom"); }
};

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// What the default exception handler prints for `ctx`.
std::string printed_by_default_handler(const aio::ExceptionContext& ctx) {
  aio::EventLoop loop;
  testing::internal::CaptureStderr();
  loop.default_exception_handler(ctx);
  std::string printed = testing::internal::GetCapturedStderr();
  loop.close();
  return printed;
}

aio::Task<std::vector<aio::ExceptionContext>> data_received_that_raises() {
  auto& loop = aio::get_running_loop();
  std::vector<aio::ExceptionContext> reported;
  loop.set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext& ctx) { reported.push_back(ctx); });
  aio::ProtocolFactory factory = [] { return std::make_shared<RaisingProtocol>(); };
  auto server = co_await aio::create_server(factory, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  writer->write("x");
  co_await until([&] { return !reported.empty(); });
  std::string rest = co_await reader->read();  // the server closed the connection
  EXPECT_EQ(rest, "");
  loop.set_exception_handler(nullptr);
  writer->close();
  server->close();
  co_await server->wait_closed();
  co_return reported;
}

TEST(ErrorContext, DataReceivedThatRaisesNamesTheTransportAndTheProtocol) {
  auto reported = nettest::run(data_received_that_raises());
  ASSERT_EQ(reported.size(), 1u);
  const aio::ExceptionContext& ctx = reported[0];
  EXPECT_EQ(ctx.message, "Fatal error: protocol.data_received() call failed.");
  EXPECT_EQ(aio::exception_type_name(ctx.exception), "ValueError");
  // Reported before the transport closes, as asyncio's _fatal_error does.
  EXPECT_TRUE(starts_with(ctx.transport, "<_SelectorSocketTransport fd=")) << ctx.transport;
  EXPECT_NE(ctx.transport.find(" read=polling write=<idle, bufsize=0>>"), std::string::npos) << ctx.transport;
  EXPECT_TRUE(starts_with(ctx.protocol, "<(anonymous namespace)::RaisingProtocol object at 0x")) << ctx.protocol;
  EXPECT_TRUE(ctx.socket.empty());

  // The default handler prints them as asyncio's does: "key: repr" lines
  // after the message, keys sorted (protocol before transport).
  std::string printed = printed_by_default_handler(ctx);
  std::string head = "Fatal error: protocol.data_received() call failed.\nprotocol: " + ctx.protocol +
                     "\ntransport: " + ctx.transport + "\n";
  EXPECT_TRUE(starts_with(printed, head)) << printed;
}

aio::Task<void> raising_handler(std::shared_ptr<aio::StreamReader>, std::shared_ptr<aio::StreamWriter>) {
  co_await aio::sleep(0);
  throw aio::RuntimeError("k");
}

aio::Task<std::vector<aio::ExceptionContext>> client_connected_cb_that_raises() {
  auto& loop = aio::get_running_loop();
  std::vector<aio::ExceptionContext> reported;
  loop.set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext& ctx) { reported.push_back(ctx); });
  auto server = co_await aio::start_server(raising_handler, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  std::string rest = co_await reader->read();  // closed once the handler raised
  EXPECT_EQ(rest, "");
  co_await until([&] { return !reported.empty(); });
  loop.set_exception_handler(nullptr);
  writer->close();
  server->close();
  co_await server->wait_closed();
  co_return reported;
}

TEST(ErrorContext, ClientConnectedCbThatRaisesNamesTheTransport) {
  auto reported = nettest::run(client_connected_cb_that_raises());
  ASSERT_EQ(reported.size(), 1u);
  const aio::ExceptionContext& ctx = reported[0];
  EXPECT_EQ(ctx.message, "Unhandled exception in client_connected_cb");
  // asyncio passes only the transport here.
  EXPECT_TRUE(starts_with(ctx.transport, "<_SelectorSocketTransport fd=")) << ctx.transport;
  EXPECT_TRUE(ctx.protocol.empty()) << ctx.protocol;

  std::string printed = printed_by_default_handler(ctx);
  EXPECT_TRUE(starts_with(printed, "Unhandled exception in client_connected_cb\ntransport: " + ctx.transport + "\n"))
      << printed;
}

// A failed accept names the listening socket, as asyncio's
// trsock.TransportSocket repr: made to fail with EMFILE by lowering the fd
// limit to the lowest free descriptor. Under UBSan every descriptor the
// process makes while the limit is low fails too (its vptr check opens a
// pipe the first time it meets a type), so the window is kept short: one
// connection is accepted and the error made first (every type on the path
// is then known), and the handler restores the limit before anything else.
struct AcceptResult {
  std::vector<aio::ExceptionContext> reported;
  int listener = -1;
  int port = 0;
};

aio::Task<AcceptResult> accept_out_of_descriptors() {
  auto& loop = aio::get_running_loop();
  rlimit saved{};
  ::getrlimit(RLIMIT_NOFILE, &saved);
  std::vector<aio::ExceptionContext> reported;
  aio::Event got_report;
  loop.set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext& ctx) {
    ::setrlimit(RLIMIT_NOFILE, &saved);
    reported.push_back(ctx);
    got_report.set();
  });
  auto made = std::make_shared<nettest::RecordingProtocol>();
  aio::ProtocolFactory factory = [made] { return made; };
  auto server = co_await aio::create_server(factory, "127.0.0.1", 0);
  const int port = server->sockname().port;
  const int listener = server->sockets().at(0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int first = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_EQ(::connect(first, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  co_await until([&] { return !made->events.empty(); });    // accepted
  (void)aio::net::detail::make_os_error(EMFILE, "accept");  // (and the error's type)
  // The second client's socket is made before the limit drops.
  int client = ::socket(AF_INET, SOCK_STREAM, 0);
  int free_fd = ::dup(0);
  ::close(free_fd);
  if (free_fd < client) free_fd = client + 1;  // (no lower fd is free then)
  rlimit low = saved;
  low.rlim_cur = static_cast<rlim_t>(free_fd);
  ::setrlimit(RLIMIT_NOFILE, &low);
  EXPECT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  co_await got_report.wait();
  ::setrlimit(RLIMIT_NOFILE, &saved);  // (already done by the handler)
  loop.set_exception_handler(nullptr);
  ::close(client);
  ::close(first);
  server->close();
  co_await server->wait_closed();
  co_return AcceptResult{reported, listener, port};
}

TEST(ErrorContext, AcceptOutOfDescriptorsNamesTheSocket) {
  auto [reported, listener, port] = nettest::run(accept_out_of_descriptors());
  ASSERT_FALSE(reported.empty());
  const aio::ExceptionContext& ctx = reported[0];
  EXPECT_TRUE(starts_with(ctx.message, "socket.accept() out of system resource")) << ctx.message;
  EXPECT_EQ(ctx.socket, "<asyncio.TransportSocket fd=" + std::to_string(listener) +
                            ", family=2, type=1, proto=6, laddr=('127.0.0.1', " + std::to_string(port) + ")>");
  EXPECT_TRUE(ctx.transport.empty());

  std::string printed = printed_by_default_handler(ctx);
  EXPECT_NE(printed.find("\nsocket: " + ctx.socket + "\n"), std::string::npos) << printed;
}

// The descriptions themselves: a connected socket has its peer's address
// too; IPv6 addresses are 4-tuples, as Python's.
TEST(ErrorContext, SocketDescriptions) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  EXPECT_EQ(aio::net::detail::describe_socket(fds[0]),
            "<asyncio.TransportSocket fd=" + std::to_string(fds[0]) + ", family=1, type=1, proto=0>");
  ::close(fds[0]);
  ::close(fds[1]);
  int s6 = ::socket(AF_INET6, SOCK_DGRAM, 0);
  if (s6 >= 0) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    if (::bind(s6, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      socklen_t len = sizeof a;
      ::getsockname(s6, reinterpret_cast<sockaddr*>(&a), &len);
      EXPECT_EQ(aio::net::detail::describe_socket(s6), "<asyncio.TransportSocket fd=" + std::to_string(s6) +
                                                           ", family=10, type=2, proto=17, laddr=('::1', " +
                                                           std::to_string(ntohs(a.sin6_port)) + ", 0, 0)>");
    }
    ::close(s6);
  }
}

// The default handler prints every key that is set, in asyncio's (sorted)
// order, and none that is not.
TEST(ErrorContext, DefaultHandlerPrintsTheKeysSorted) {
  aio::ExceptionContext ctx;
  ctx.message = "m";
  ctx.transport = "<T>";
  ctx.socket = "<S>";
  ctx.protocol = "<P>";
  ctx.handle = "<H>";
  EXPECT_EQ(printed_by_default_handler(ctx), "m\nhandle: <H>\nprotocol: <P>\nsocket: <S>\ntransport: <T>\n");
}

}  // namespace
