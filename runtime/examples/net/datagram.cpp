// UDP with create_datagram_endpoint: an echo endpoint and a client.
#include <cstdio>
#include <memory>
#include <string>

#include "aio/aio.hpp"
#include "aio/net.hpp"

struct EchoEndpoint : aio::DatagramProtocol {
  aio::DatagramTransport* transport = nullptr;
  void connection_made(aio::DatagramTransport& t) override { transport = &t; }
  void datagram_received(std::string_view data, const aio::SocketAddress& addr) override {
    std::printf("server: %zu bytes from %s\n", data.size(), addr.to_string().c_str());
    transport->sendto(data, addr);
  }
};

struct Client : aio::DatagramProtocol {
  aio::Event got;
  void datagram_received(std::string_view data, const aio::SocketAddress&) override {
    std::printf("client: received '%.*s'\n", static_cast<int>(data.size()), data.data());
    got.set();
  }
};

aio::Task<void> amain() {
  aio::DatagramOptions server_options;
  server_options.local_addr = aio::inet_address("127.0.0.1", 0);
  aio::DatagramProtocolFactory server_factory = [] { return std::make_shared<EchoEndpoint>(); };
  auto [server, sp] = co_await aio::create_datagram_endpoint(server_factory, server_options);

  auto client = std::make_shared<Client>();
  aio::DatagramOptions client_options;
  client_options.remote_addr = server->get_address_info("sockname");
  aio::DatagramProtocolFactory client_factory = [client] { return client; };
  auto [transport, cp] = co_await aio::create_datagram_endpoint(client_factory, client_options);
  transport->sendto("datagram!");
  co_await client->got.wait();
  transport->close();
  server->close();
}

int main() { aio::run(amain()); }
