// Transports and protocols: an echo server (create_server + a Protocol) and a
// client (create_connection) that counts what comes back.
#include <cstdio>
#include <memory>
#include <string>

#include "aio/aio.hpp"
#include "aio/net.hpp"

struct EchoServer : aio::Protocol {
  aio::Transport* transport = nullptr;
  void connection_made(aio::Transport& t) override {
    transport = &t;
    std::printf("server: connection from %s\n", t.get_address_info("peername").to_string().c_str());
  }
  void data_received(std::string_view data) override { transport->write(data); }
  bool eof_received() override {
    std::printf("server: client sent EOF\n");
    return false;  // close our side too
  }
};

struct EchoClient : aio::Protocol {
  std::string received;
  aio::Event done;
  void connection_made(aio::Transport& t) override {
    t.write("Hello, ");
    t.write("World!");
    t.write_eof();
  }
  void data_received(std::string_view data) override { received += data; }
  void connection_lost(std::exception_ptr) override { done.set(); }
};

aio::Task<void> amain() {
  aio::ProtocolFactory server_factory = [] { return std::make_shared<EchoServer>(); };
  auto server = co_await aio::create_server(server_factory, "127.0.0.1", 0);
  int port = server->sockname().port;

  auto client = std::make_shared<EchoClient>();
  aio::ProtocolFactory client_factory = [client] { return client; };
  auto [transport, protocol] = co_await aio::create_connection(client_factory, "127.0.0.1", port);
  co_await client->done.wait();
  std::printf("client: received '%s'\n", client->received.c_str());

  server->close();
  co_await server->wait_closed();
}

int main() { aio::run(amain()); }
