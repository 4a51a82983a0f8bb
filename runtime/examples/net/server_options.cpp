// A server on several hosts with Python 3.13's options: start_server on a
// vector of hosts (one listening socket per address), keep_alive on every
// accepted connection, and readuntil with several separators for lines that
// end in "\r\n" or in "\n". Then a unix server whose socket file goes away on
// close (cleanup_socket, on by default).
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/net.hpp"

aio::Task<void> handle_client(std::shared_ptr<aio::StreamReader> reader, std::shared_ptr<aio::StreamWriter> writer) {
  int fd = std::any_cast<int>(writer->get_extra_info("socket"));
  int keep_alive = 0;
  socklen_t len = sizeof keep_alive;
  ::getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &keep_alive, &len);
  for (;;) {
    // The first separator to end in the stream wins: "\r\n" here ends before
    // the "\n" of the next line.
    auto reading = reader->readuntil({"\r\n", "\n"});
    std::string line;
    try {
      line = co_await reading;
    } catch (const aio::IncompleteReadError&) {
      break;  // EOF
    }
    std::string text = line.substr(0, line.find_last_not_of("\r\n") + 1);
    writer->write("[keep-alive " + std::to_string(keep_alive != 0) + "] " + text + "\n");
    co_await writer->drain();
  }
  writer->close();
}

aio::Task<void> amain() {
  aio::ServerOptions options;
  options.keep_alive = true;
  std::vector<std::string> hosts{"127.0.0.1", "127.0.0.2"};
  auto server = co_await aio::start_server(handle_client, hosts, 0, aio::kDefaultStreamLimit, options);
  for (int listener : server->sockets()) {
    aio::SocketAddress where = aio::getsockname(listener);
    auto [reader, writer] = co_await aio::open_connection(where.host, where.port);
    writer->write("hello " + where.host + "\r\nsecond line\n");
    writer->write_eof();
    std::string replies = co_await reader->read();
    std::printf("%s", replies.c_str());
    writer->close();
  }
  server->close();
  co_await server->wait_closed();

  std::string path = "/tmp/aio-example-options-" + std::to_string(::getpid()) + ".sock";
  aio::ProtocolFactory nothing = [] { return std::make_shared<aio::Protocol>(); };
  auto unix_server = co_await aio::create_unix_server(nothing, path);
  struct stat st;
  std::printf("unix socket file while serving: %s\n", ::stat(path.c_str(), &st) == 0 ? "yes" : "no");
  unix_server->close();
  co_await unix_server->wait_closed();
  std::printf("unix socket file after close(): %s\n", ::stat(path.c_str(), &st) == 0 ? "yes" : "no");
}

int main() { aio::run(amain()); }
