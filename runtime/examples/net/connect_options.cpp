// create_connection's options, as asyncio's keyword arguments:
//   - happy_eyeballs_delay / interleave: race the addresses of a host (RFC 8305),
//   - all_errors: every attempt's error, as an ExceptionGroup,
//   - sock: serve on, or connect over, a socket made elsewhere (inherited from
//     a service manager, say), with create_server / create_connection.
#include <sys/socket.h>

#include <cstdio>
#include <memory>
#include <string>

#include "aio/aio.hpp"
#include "aio/net.hpp"

struct Hello : aio::Protocol {
  void connection_made(aio::Transport& t) override {
    t.write("hello\n");
    t.close();
  }
};

struct Reader : aio::Protocol {
  std::string received;
  aio::Event done;
  void data_received(std::string_view data) override { received += data; }
  void connection_lost(std::exception_ptr) override { done.set(); }
};

aio::Task<void> amain() {
  // A server on a socket we bound ourselves: create_server(factory, sock=...).
  int listener = aio::make_socket(AF_INET, SOCK_STREAM);
  aio::bind_socket(listener, aio::inet_address("127.0.0.1", 0));
  aio::ServerOptions on_sock;
  on_sock.sock = listener;
  aio::ProtocolFactory hello = [] { return std::make_shared<Hello>(); };
  auto server = co_await aio::create_server(hello, on_sock);
  int port = server->sockname().port;

  // Happy Eyeballs: with several addresses (an IPv6 and an IPv4 one, say)
  // the next attempt starts 0.25 s after the last, or as soon as it fails.
  auto reader = std::make_shared<Reader>();
  aio::ProtocolFactory read = [reader] { return reader; };
  aio::ConnectionOptions racing;
  racing.happy_eyeballs_delay = 0.25;
  auto [transport, protocol] = co_await aio::create_connection(read, "localhost", port, racing);
  co_await reader->done.wait();
  std::printf("happy eyeballs: %s", reader->received.c_str());

  // all_errors: a port nobody listens on, every attempt's error kept.
  server->close();
  co_await server->wait_closed();
  aio::ConnectionOptions all;
  all.all_errors = true;
  try {
    (void)co_await aio::create_connection(read, "127.0.0.1", port, all);
  } catch (const aio::ExceptionGroup& group) {
    std::printf("all_errors: %s\n", group.what());
    for (auto& e : group.exceptions()) std::printf("  %s\n", aio::describe_exception(e).c_str());
  }
}

int main() { aio::run(amain()); }
