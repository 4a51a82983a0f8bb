// Low-level readiness I/O: sock_accept / sock_connect / sock_sendall /
// sock_recv on plain sockets, and add_reader on a pipe.
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "aio/aio.hpp"
#include "aio/net.hpp"

aio::Task<void> amain() {
  int listener = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(listener, aio::inet_address("127.0.0.1", 0));
  ::listen(listener, 8);
  aio::SocketAddress where = aio::getsockname(listener);

  auto accepting = aio::create_task(aio::sock_accept(listener));
  int client = aio::make_socket(AF_INET, SOCK_STREAM);
  co_await aio::sock_connect(client, where);
  auto [conn, peer] = co_await accepting;
  std::printf("accepted a connection from %s\n", peer.to_string().c_str());

  std::string request = "ping";
  co_await aio::sock_sendall(client, request);
  std::string got = co_await aio::sock_recv(conn, 1024);
  std::printf("server got '%s'\n", got.c_str());

  // add_reader: a callback whenever the pipe is readable.
  auto& loop = aio::get_running_loop();
  int fds[2];
  if (::pipe(fds) != 0) co_return;
  aio::Event readable;
  aio::add_reader(loop, fds[0], [&] {
    char buf[64];
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    std::printf("add_reader callback: %zd bytes\n", n);
    readable.set();
  });
  [[maybe_unused]] auto w = ::write(fds[1], "hi", 2);
  co_await readable.wait();
  aio::remove_reader(loop, fds[0]);
  aio::close_socket(fds[0]);
  ::close(fds[1]);

  aio::close_socket(client);
  aio::close_socket(conn);
  aio::close_socket(listener);
}

int main() { aio::run(amain()); }
