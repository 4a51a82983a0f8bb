// UDP: create_datagram_endpoint round trip.
#include <gtest/gtest.h>

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
