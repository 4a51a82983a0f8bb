// Readiness I/O: sock_* coroutines, add_reader/add_writer, getaddrinfo.
#include <gtest/gtest.h>
#include <netdb.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "manual/manual_host.hpp"
#include "net/internal.hpp"
#include "net_test_util.hpp"

namespace {

aio::Task<void> sock_roundtrip() {
  int lsock = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(lsock, aio::inet_address("127.0.0.1", 0));
  EXPECT_EQ(::listen(lsock, 8), 0);
  int port = aio::getsockname(lsock).port;

  auto accept_task = aio::create_task(aio::sock_accept(lsock));
  int client = aio::make_socket(AF_INET, SOCK_STREAM);
  co_await aio::sock_connect(client, aio::inet_address("127.0.0.1", port));
  auto [server, peer] = co_await accept_task;
  EXPECT_EQ(peer.host, "127.0.0.1");
  EXPECT_EQ(peer.port, aio::getsockname(client).port);

  // A large send waits for buffer space while the other side reads.
  std::string big(4 * 1024 * 1024, 'b');
  auto sender = aio::create_task(aio::sock_sendall(client, big));
  std::size_t total = 0;
  std::string buf(65536, '\0');
  while (total < big.size()) {
    std::span<char> span(buf.data(), buf.size());
    std::size_t n = co_await aio::sock_recv_into(server, span);
    if (n == 0) break;
    total += n;
  }
  co_await sender;
  EXPECT_EQ(total, big.size());

  std::string hello = "hello";
  co_await aio::sock_sendall(server, hello);
  EXPECT_EQ(co_await aio::sock_recv(client, 100), "hello");
  ::shutdown(server, SHUT_WR);
  EXPECT_EQ(co_await aio::sock_recv(client, 100), "");  // EOF

  aio::close_socket(client);
  aio::close_socket(server);
  aio::close_socket(lsock);
}

TEST(SockCoroutines, AcceptConnectSendRecv) { nettest::run(sock_roundtrip()); }

aio::Task<void> recv_cancelled() {
  int fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  auto t = aio::create_task(aio::sock_recv(fds[0], 10));
  co_await aio::sleep(0.01);
  EXPECT_FALSE(t.done());
  t.cancel();
  try {
    co_await t;
    ADD_FAILURE() << "expected CancelledError";
  } catch (const aio::CancelledError&) {
  }
  // The fd is still usable afterwards.
  EXPECT_EQ(::write(fds[1], "x", 1), 1);
  EXPECT_EQ(co_await aio::sock_recv(fds[0], 10), "x");
  aio::close_socket(fds[0]);
  ::close(fds[1]);
}

TEST(SockCoroutines, CancelWhileWaiting) { nettest::run(recv_cancelled()); }

aio::Task<void> readers_and_writers() {
  auto& loop = aio::get_running_loop();
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  aio::Event done;
  std::string got;
  aio::add_reader(loop, fds[0], [&] {
    char buf[16];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n > 0) got.append(buf, static_cast<std::size_t>(n));
    if (got.size() >= 3) done.set();
  });
  int writes = 0;
  aio::add_writer(loop, fds[1], [&] {
    // Level-triggered: called again and again while writable.
    [[maybe_unused]] auto r = ::write(fds[1], "x", 1);
    if (++writes == 3) {
      EXPECT_TRUE(aio::remove_writer(loop, fds[1]));
    }
  });
  co_await done.wait();
  EXPECT_EQ(got, "xxx");
  EXPECT_EQ(writes, 3);
  EXPECT_TRUE(aio::remove_reader(loop, fds[0]));
  EXPECT_FALSE(aio::remove_reader(loop, fds[0]));
  aio::forget_fd(loop, fds[0]);
  aio::forget_fd(loop, fds[1]);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(AddReader, LevelTriggeredCallbacks) { nettest::run(readers_and_writers()); }

aio::Task<void> resolve() {
  auto numeric = co_await aio::getaddrinfo("127.0.0.1", "80");
  EXPECT_EQ(numeric.size(), 1u);
  EXPECT_EQ(numeric[0].address.host, "127.0.0.1");
  EXPECT_EQ(numeric[0].address.port, 80);
  auto local = co_await aio::getaddrinfo("localhost", "8080", AF_INET, SOCK_STREAM);
  EXPECT_FALSE(local.empty());
  EXPECT_EQ(local[0].address.host, "127.0.0.1");
  try {
    co_await aio::getaddrinfo("no-such-host.invalid", "80");
    ADD_FAILURE() << "expected gaierror";
  } catch (const aio::gaierror& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-host.invalid"), std::string::npos);
  }
}

TEST(GetAddrInfo, NumericLocalhostAndFailure) { nettest::run(resolve()); }

aio::Task<void> reverse() {
  // Numeric flags: answered at once, without the executor.
  auto [host, serv] = co_await aio::getnameinfo(aio::inet_address("127.0.0.1", 80), NI_NUMERICHOST | NI_NUMERICSERV);
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(serv, "80");
  auto [host6, serv6] = co_await aio::getnameinfo(aio::inet_address("::1", 22), NI_NUMERICHOST | NI_NUMERICSERV);
  EXPECT_EQ(host6, "::1");
  EXPECT_EQ(serv6, "22");
  // A lookup (on the executor) gives what libc gives for the same address
  // (from /etc/hosts and /etc/services here: no DNS is needed for loopback).
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(80);
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  char want_host[NI_MAXHOST], want_serv[NI_MAXSERV];
  EXPECT_EQ(::getnameinfo(reinterpret_cast<sockaddr*>(&sin), sizeof sin, want_host, sizeof want_host, want_serv,
                          sizeof want_serv, 0),
            0);
  auto [named, service] = co_await aio::getnameinfo(aio::inet_address("127.0.0.1", 80));
  EXPECT_EQ(named, want_host);
  EXPECT_EQ(service, want_serv);
  // As Python's socket.getnameinfo: no forward resolution of a name.
  aio::SocketAddress name{AF_INET, "localhost", 80, ""};  // not a temporary: README.md, "Compilers"
  try {
    co_await aio::getnameinfo(name);
    ADD_FAILURE() << "expected gaierror";
  } catch (const aio::gaierror& e) {
    EXPECT_EQ(e.errno_value(), EAI_NONAME);
    EXPECT_NE(std::string(e.what()).find("numeric address"), std::string::npos) << e.what();
  }
}

TEST(GetNameInfo, NumericLookupAndANameRefused) { nettest::run(reverse()); }

TEST(Selector, NativeHostHasOneManualHostHasNone) {
  aio::EventLoop native;
  EXPECT_NE(native.host().selector(), nullptr);
  // A loop on a host without a selector refuses network calls clearly.
  aio::EventLoop manual(aio::EventLoop::Options{}, std::make_unique<aio::hosts::ManualHost>());
  EXPECT_EQ(manual.host().selector(), nullptr);
  try {
    aio::add_reader(manual, 0, [] {});
    FAIL() << "expected RuntimeError";
  } catch (const aio::RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("has no selector"), std::string::npos);
  }
  EXPECT_FALSE(aio::remove_reader(manual, 0));
}

}  // namespace

namespace {

aio::Task<void> reader_replaced_raising_removed() {
  auto& loop = aio::get_running_loop();
  std::vector<std::string> reported;
  loop.set_exception_handler([&](aio::EventLoop&, const aio::ExceptionContext& ctx) {
    reported.push_back(ctx.message);
  });
  int fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  int first = 0, second = 0;
  aio::add_reader(loop, fds[0], [&] { ++first; });
  aio::add_reader(loop, fds[0], [&] {  // replaces the first
    ++second;
    char c;
    [[maybe_unused]] auto r = ::read(fds[0], &c, 1);
    throw aio::ValueError("reader failed");
  });
  EXPECT_EQ(::write(fds[1], "ab", 2), 2);
  for (int i = 0; i < 100 && second < 2; ++i) co_await aio::sleep(0.005);
  EXPECT_EQ(first, 0);
  // The raising callback is reported each time and stays registered (asyncio:
  // "Exception in callback ..."), and the loop goes on.
  EXPECT_EQ(second, 2);
  EXPECT_EQ(reported.size(), 2u);
  EXPECT_TRUE(aio::remove_reader(loop, fds[0]));
  EXPECT_FALSE(aio::remove_reader(loop, fds[0]));
  EXPECT_FALSE(aio::remove_writer(loop, fds[0]));
  EXPECT_FALSE(aio::remove_reader(loop, 12345));
  aio::close_socket(loop, fds[0]);
  ::close(fds[1]);
  loop.set_exception_handler(nullptr);
}

TEST(AddReader, ReplacedRaisingAndRemoved) { nettest::run(reader_replaced_raising_removed()); }

// asyncio: add_reader(bad_fd) raises OSError EBADF (from the selector) and
// leaves nothing registered: remove_reader is False afterwards.
// errno picks the OSError subclass, as Python's OSError constructor does;
// ETIMEDOUT gives TimeoutError, also what wait_for raises.
TEST(OSErrors, ErrnoPicksThePythonSubclass) {
  auto kind = [](int err) {
    return aio::exception_type_name(aio::net::detail::make_os_error(err, "connect"));
  };
  EXPECT_EQ(kind(ETIMEDOUT), "TimeoutError");
  EXPECT_EQ(kind(ECONNREFUSED), "ConnectionRefusedError");
  EXPECT_EQ(kind(EPIPE), "BrokenPipeError");
  EXPECT_EQ(kind(EBADF), "OSError");
  try {
    std::rethrow_exception(aio::net::detail::make_os_error(ETIMEDOUT, "connect"));
  } catch (const aio::TimeoutError& e) {
    EXPECT_EQ(e.errno_value(), ETIMEDOUT);
    EXPECT_EQ(std::string(e.what()).rfind("[Errno " + std::to_string(ETIMEDOUT) + "] connect: ", 0), 0u) << e.what();
  }
}

aio::Task<void> reader_on_a_closed_fd() {
  auto& loop = aio::get_running_loop();
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  ::close(fds[1]);
  for (int fd : {fds[0], fds[1]}) {
    try {
      aio::add_reader(loop, fd, [] {});
      ADD_FAILURE() << "expected OSError";
    } catch (const aio::OSError& e) {
      EXPECT_EQ(e.errno_value(), EBADF) << e.what();
    }
    EXPECT_FALSE(aio::remove_reader(loop, fd));
  }
  // sock_* on a closed descriptor: OSError EBADF too.
  try {
    co_await aio::sock_recv(fds[0], 10);
    ADD_FAILURE() << "expected OSError";
  } catch (const aio::OSError& e) {
    EXPECT_EQ(e.errno_value(), EBADF);
  }
  try {
    std::string data = "x";
    co_await aio::sock_sendall(fds[0], data);
    ADD_FAILURE() << "expected OSError";
  } catch (const aio::OSError& e) {
    EXPECT_EQ(e.errno_value(), EBADF);
  }
}

TEST(AddReader, ClosedDescriptorIsOSErrorAndLeavesNothingBehind) { nettest::run(reader_on_a_closed_fd()); }

struct Collect : aio::Protocol {
  std::string got;
  aio::Event lost;
  void data_received(std::string_view d) override { got += d; }
  void connection_lost(std::exception_ptr) override { lost.set(); }
};

// asyncio refuses add_reader/remove_reader/sock_* on a descriptor a
// transport owns ("File descriptor 7 is used by transport ..."): the
// callback would take the transport's events away.
aio::Task<void> reader_on_a_transport_fd() {
  auto& loop = aio::get_running_loop();
  int fds[2];
  EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
  auto collect = std::make_shared<Collect>();
  aio::ProtocolFactory factory = [collect] { return collect; };
  auto [t, p] = co_await aio::connect_accepted_socket(factory, fds[0]);
  auto expect_refused = [&](auto fn, const char* what) {
    try {
      fn();
      ADD_FAILURE() << what << ": expected RuntimeError";
    } catch (const aio::RuntimeError& e) {
      EXPECT_NE(std::string(e.what()).find("is used by a transport"), std::string::npos) << e.what();
    }
  };
  expect_refused([&] { aio::add_reader(loop, fds[0], [] {}); }, "add_reader");
  expect_refused([&] { aio::add_writer(loop, fds[0], [] {}); }, "add_writer");
  expect_refused([&] { aio::remove_reader(loop, fds[0]); }, "remove_reader");
  try {
    co_await aio::sock_recv(fds[0], 10);
    ADD_FAILURE() << "sock_recv: expected RuntimeError";
  } catch (const aio::RuntimeError& e) {
    EXPECT_NE(std::string(e.what()).find("is used by a transport"), std::string::npos) << e.what();
  }
  // Refused before the syscall too: with data waiting, a recv would take it.
  EXPECT_EQ(::write(fds[1], "hello", 5), 5);
  try {
    co_await aio::sock_recv(fds[0], 10);
    ADD_FAILURE() << "sock_recv with data waiting: expected RuntimeError";
  } catch (const aio::RuntimeError&) {
  }
  try {
    std::string data = "x";
    co_await aio::sock_sendall(fds[0], data);
    ADD_FAILURE() << "sock_sendall: expected RuntimeError";
  } catch (const aio::RuntimeError&) {
  }
  // The transport still gets its data.
  for (int i = 0; i < 100 && collect->got.size() < 5; ++i) co_await aio::sleep(0.005);
  EXPECT_EQ(collect->got, "hello");
  t->close();
  co_await collect->lost.wait();
  ::close(fds[1]);
}

TEST(AddReader, RefusedOnADescriptorATransportOwns) { nettest::run(reader_on_a_transport_fd()); }

}  // namespace

namespace {

// asyncio's sock_connect resolves a host name first (_ensure_resolved, with
// the socket's family): "localhost" works, as in loop.sock_connect(sock,
// ('localhost', port)).
aio::Task<void> sock_connect_resolves() {
  int lsock = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(lsock, aio::inet_address("127.0.0.1", 0));
  EXPECT_EQ(::listen(lsock, 8), 0);
  int port = aio::getsockname(lsock).port;
  auto accepting = aio::create_task(aio::sock_accept(lsock));
  int client = aio::make_socket(AF_INET, SOCK_STREAM);
  co_await aio::sock_connect(client, aio::inet_address("localhost", port));
  auto [server, peer] = co_await accepting;
  EXPECT_EQ(aio::getpeername(client).port, port);
  aio::close_socket(server);
  aio::close_socket(client);
  aio::close_socket(lsock);
}

TEST(SockCoroutines, ConnectResolvesAHostName) { nettest::run(sock_connect_resolves()); }

}  // namespace

namespace {

// loop.sock_recvfrom_into: (nbytes, address) into the caller's buffer; a
// datagram longer than nbytes is cut there and the rest dropped, as Linux's
// recvfrom does; nbytes over the buffer's size is Python's ValueError.
aio::Task<void> recvfrom_into_round_trip() {
  int receiver = aio::make_socket(AF_INET, SOCK_DGRAM);
  aio::bind_socket(receiver, aio::inet_address("127.0.0.1", 0));
  aio::SocketAddress to = aio::getsockname(receiver);
  int sender = aio::make_socket(AF_INET, SOCK_DGRAM);
  aio::bind_socket(sender, aio::inet_address("127.0.0.1", 0));
  const int sender_port = aio::getsockname(sender).port;

  std::string buf(64, '.');
  std::span<char> whole(buf.data(), buf.size());
  auto receiving = aio::create_task(aio::sock_recvfrom_into(receiver, whole));
  co_await aio::sleep(0.01);
  EXPECT_FALSE(receiving.done());  // it waits for the datagram
  EXPECT_EQ(co_await aio::sock_sendto(sender, "hello world", to), 11u);
  auto [n, from] = co_await receiving;
  EXPECT_EQ(n, 11u);
  EXPECT_EQ(buf.substr(0, 12), "hello world.");
  EXPECT_EQ(from.host, "127.0.0.1");
  EXPECT_EQ(from.port, sender_port);

  // nbytes smaller than the buffer: only that much is written, the rest of
  // the datagram is gone (the next receive gets the next datagram).
  buf.assign(64, '.');
  co_await aio::sock_sendto(sender, "hello world", to);
  co_await aio::sock_sendto(sender, "second", to);
  auto [n5, from5] = co_await aio::sock_recvfrom_into(receiver, whole, 5);
  EXPECT_EQ(n5, 5u);
  EXPECT_EQ(buf.substr(0, 7), "hello..");
  auto [n6, from6] = co_await aio::sock_recvfrom_into(receiver, whole);
  EXPECT_EQ(n6, 6u);
  EXPECT_EQ(buf.substr(0, 7), "second.");

  // A buffer smaller than the datagram: truncated to the buffer.
  std::string small(4, '.');
  std::span<char> small_span(small.data(), small.size());
  co_await aio::sock_sendto(sender, "truncated", to);
  auto [n4, from4] = co_await aio::sock_recvfrom_into(receiver, small_span);
  EXPECT_EQ(n4, 4u);
  EXPECT_EQ(small, "trun");

  EXPECT_THROW(co_await aio::sock_recvfrom_into(receiver, small_span, 5), aio::ValueError);

  // sock_recvfrom, built on it, still gives the datagram as a string.
  co_await aio::sock_sendto(sender, "as a string", to);
  auto [data, from_s] = co_await aio::sock_recvfrom(receiver, 100);
  EXPECT_EQ(data, "as a string");
  EXPECT_EQ(from_s.port, sender_port);
  aio::close_socket(sender);
  aio::close_socket(receiver);
}

TEST(SockCoroutines, RecvfromIntoRoundTripNbytesAndTruncation) { nettest::run(recvfrom_into_round_trip()); }

// Cancelled while it waits, sock_recvfrom_into leaves the socket as it was:
// the next datagram goes to the next call, whole.
aio::Task<void> recvfrom_into_cancelled() {
  int receiver = aio::make_socket(AF_INET, SOCK_DGRAM);
  aio::bind_socket(receiver, aio::inet_address("127.0.0.1", 0));
  aio::SocketAddress to = aio::getsockname(receiver);
  std::string buf(32, '.');
  std::span<char> span(buf.data(), buf.size());
  auto waiting = aio::create_task(aio::sock_recvfrom_into(receiver, span));
  co_await aio::sleep(0.01);
  EXPECT_FALSE(waiting.done());
  waiting.cancel();
  EXPECT_THROW(co_await waiting, aio::CancelledError);
  EXPECT_EQ(buf, std::string(32, '.'));

  int sender = aio::make_socket(AF_INET, SOCK_DGRAM);
  co_await aio::sock_sendto(sender, "after the cancel", to);
  auto [n, from] = co_await aio::sock_recvfrom_into(receiver, span);
  EXPECT_EQ(n, 16u);
  EXPECT_EQ(buf.substr(0, 16), "after the cancel");
  aio::close_socket(sender);
  aio::close_socket(receiver);
}

TEST(SockCoroutines, RecvfromIntoCancelledLeavesTheSocketUsable) { nettest::run(recvfrom_into_cancelled()); }

}  // namespace

namespace {

// ---- sock_sendfile ------------------------------------------------------------

// A connected TCP pair on 127.0.0.1: {client, server side}.
aio::Task<std::pair<int, int>> tcp_pair() {
  int lsock = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(lsock, aio::inet_address("127.0.0.1", 0));
  EXPECT_EQ(::listen(lsock, 8), 0);
  int port = aio::getsockname(lsock).port;
  auto accepting = aio::create_task(aio::sock_accept(lsock));
  int client = aio::make_socket(AF_INET, SOCK_STREAM);
  co_await aio::sock_connect(client, aio::inet_address("127.0.0.1", port));
  auto [server, peer] = co_await accepting;
  aio::close_socket(lsock);
  co_return std::make_pair(client, server);
}

// A file holding `content`, unlinked, so it goes with its descriptor.
int temp_file(const std::string& content) {
  char path[] = "/tmp/aio-sock-sendfile-XXXXXX";
  int fd = ::mkstemp(path);
  ::unlink(path);
  EXPECT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  return fd;
}

// Bytes that differ from their neighbours, so a misplaced chunk shows.
std::string patterned(std::size_t size) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 251) % 26);
  return s;
}

aio::Task<std::string> recv_exactly(int fd, std::size_t n) {
  std::string got;
  while (got.size() < n) {
    std::string part = co_await aio::sock_recv(fd, n - got.size());
    if (part.empty()) break;
    got += part;
  }
  co_return got;
}

// The sendfile seam: the kernel's sendfile is "refused" while one lives.
struct NativeSendfileRefused {
  NativeSendfileRefused() { aio::net::detail::testing_disable_native_sendfile = true; }
  ~NativeSendfileRefused() { aio::net::detail::testing_disable_native_sendfile = false; }
};

// Whole file, offset + count, a count past the end, an offset past the end;
// asyncio's ValueErrors for a datagram socket and negative numbers. Each
// call leaves the file's position at offset + the bytes sent (asyncio's
// file.seek), or where it was when nothing was sent.
aio::Task<void> sock_sendfile_ranges(bool force_fallback) {
  std::optional<NativeSendfileRefused> refused;
  if (force_fallback) refused.emplace();
  const std::string content = patterned(3 * 1024 * 1024 + 17);
  int file = temp_file(content);
  ::lseek(file, 5, SEEK_SET);
  auto [client, server] = co_await tcp_pair();

  auto whole = aio::create_task(recv_exactly(server, content.size()));
  EXPECT_EQ(co_await aio::sock_sendfile(client, file), content.size());
  EXPECT_TRUE(co_await whole == content);
  EXPECT_EQ(::lseek(file, 0, SEEK_CUR), static_cast<off_t>(content.size()));

  EXPECT_EQ(co_await aio::sock_sendfile(client, file, 10, 100), 100u);
  EXPECT_EQ(co_await recv_exactly(server, 100), content.substr(10, 100));
  EXPECT_EQ(::lseek(file, 0, SEEK_CUR), 110);

  EXPECT_EQ(co_await aio::sock_sendfile(client, file, content.size() - 50, 1000), 50u);
  EXPECT_EQ(co_await recv_exactly(server, 50), content.substr(content.size() - 50));
  ::lseek(file, 5, SEEK_SET);
  EXPECT_EQ(co_await aio::sock_sendfile(client, file, content.size() + 10), 0u);
  EXPECT_EQ(::lseek(file, 0, SEEK_CUR), 5);

  int udp = aio::make_socket(AF_INET, SOCK_DGRAM);
  std::string what;
  try {
    (void)co_await aio::sock_sendfile(udp, file);
  } catch (const aio::ValueError& e) {
    what = e.what();
  }
  EXPECT_EQ(what, "only SOCK_STREAM type sockets are supported");
  EXPECT_THROW((void)co_await aio::sock_sendfile(client, file, -1), aio::ValueError);
  EXPECT_THROW((void)co_await aio::sock_sendfile(client, file, 0, -1), aio::ValueError);
  ::close(udp);

  // Nothing more arrived than was asked for.
  ::shutdown(client, SHUT_WR);
  EXPECT_EQ(co_await aio::sock_recv(server, 10), "");
  aio::close_socket(client);
  aio::close_socket(server);
  ::close(file);
}

TEST(SockSendfile, WholeFileOffsetCountAndPastTheEnd) { nettest::run(sock_sendfile_ranges(false), 60); }
TEST(SockSendfile, TheFallbackSendsTheSameBytes) { nettest::run(sock_sendfile_ranges(true), 60); }

// Where the kernel cannot send the file: SendfileNotAvailableError with
// fallback=false, and nothing sent.
aio::Task<void> sock_sendfile_without_fallback() {
  NativeSendfileRefused refused;
  int file = temp_file("some bytes");
  auto [client, server] = co_await tcp_pair();
  EXPECT_THROW((void)co_await aio::sock_sendfile(client, file, 0, 0, /*fallback=*/false),
               aio::SendfileNotAvailableError);
  EXPECT_EQ(co_await aio::sock_sendfile(client, file, 5, 0, /*fallback=*/true), 5u);
  EXPECT_EQ(co_await recv_exactly(server, 5), "bytes");
  aio::close_socket(client);
  aio::close_socket(server);
  ::close(file);
}

TEST(SockSendfile, WithoutFallbackARefusedFileIsSendfileNotAvailableError) {
  nettest::run(sock_sendfile_without_fallback());
}

// The peer closes with data unread (a reset) while sock_sendfile waits for
// buffer space: the OSError of the connection, natively and in the fallback,
// and the file's position tells how much went out before it (asyncio's
// "file.tell() can be used to obtain the actual number of bytes sent").
aio::Task<void> sock_sendfile_peer_closes(bool force_fallback) {
  std::optional<NativeSendfileRefused> refused;
  if (force_fallback) refused.emplace();
  const off_t size = 16 * 1024 * 1024;
  int file = temp_file(patterned(size));
  auto [client, server] = co_await tcp_pair();
  int small = 64 * 1024;
  ::setsockopt(client, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
  auto sending = aio::create_task(aio::sock_sendfile(client, file));
  EXPECT_EQ((co_await recv_exactly(server, 1000)).size(), 1000u);
  co_await aio::sleep(0.05);
  EXPECT_FALSE(sending.done());  // waiting for the peer to read more
  aio::close_socket(server);
  std::string error;
  try {
    (void)co_await sending;
  } catch (const aio::ConnectionError& e) {
    error = e.what();
  }
  EXPECT_FALSE(error.empty()) << "expected ConnectionResetError or BrokenPipeError";
  off_t position = ::lseek(file, 0, SEEK_CUR);
  EXPECT_GE(position, 1000);  // at least what the peer read
  EXPECT_LT(position, size);
  aio::close_socket(client);
  ::close(file);
}

TEST(SockSendfile, PeerClosingMidTransferIsAConnectionError) { nettest::run(sock_sendfile_peer_closes(false)); }
TEST(SockSendfile, PeerClosingMidTransferIsAConnectionErrorInTheFallback) {
  nettest::run(sock_sendfile_peer_closes(true));
}

}  // namespace
