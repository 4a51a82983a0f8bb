#pragma once
// The echo workload of ../shared/anchors/README.md on aio's Protocol API,
// shared by the benchmark (tests/bench/net/echo_bench.cpp, full size) and the
// unit tests (tests/unit/net/test_transports.cpp, small sizes): a server that
// writes back what it reads, and clients that each do sequential round trips
// of a 64-byte message over their own connection, all in one loop.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aio/aio.hpp"
#include "aio/net.hpp"

namespace nettest {

/// The server side: writes back everything it receives.
struct EchoProtocol : aio::Protocol {
  aio::Transport* t = nullptr;
  void connection_made(aio::Transport& tr) override { t = &tr; }
  void data_received(std::string_view d) override { t->write(d); }
};

/// One client: sends the message, waits until all of it has come back, and
/// repeats until `remaining` round trips are done; the last client to finish
/// sets `all_done`.
struct EchoClient : aio::Protocol {
  aio::Transport* t = nullptr;
  std::string msg = std::string(64, 'm');
  std::size_t pending = 0;
  long remaining = 0;
  long completed = 0;
  aio::Event* all_done = nullptr;
  int* running = nullptr;
  void connection_made(aio::Transport& tr) override { t = &tr; }
  void send() {
    pending = msg.size();
    t->write(msg);
  }
  void data_received(std::string_view d) override {
    pending -= std::min(pending, d.size());
    if (pending) return;  // TCP may split the echo: wait for the rest
    ++completed;
    if (--remaining > 0) {
      send();
    } else if (--*running == 0) {
      all_done->set();
    }
  }
};

struct EchoResult {
  long round_trips = 0;  // completed, over all connections
  double seconds = 0;    // from the first send to the last echo
};

/// Serve echo on 127.0.0.1, connect `connections` clients, time `round_trips`
/// round trips on each (connecting is not timed), close everything.
inline aio::Task<EchoResult> echo_round_trips(long round_trips, int connections) {
  aio::ProtocolFactory server_factory = [] { return std::make_shared<EchoProtocol>(); };
  auto creating = aio::create_server(server_factory, "127.0.0.1", 0);
  auto server = co_await creating;
  int port = server->sockname().port;
  aio::Event done;
  int running = connections;
  std::vector<std::shared_ptr<EchoClient>> clients;
  std::vector<std::shared_ptr<aio::Transport>> transports;
  for (int i = 0; i < connections; ++i) {
    auto c = std::make_shared<EchoClient>();
    c->remaining = round_trips;
    c->all_done = &done;
    c->running = &running;
    // g++ 12 mishandles a capturing lambda inside the co_await expression
    // (runtime/docs/net.md): bind it to a local first.
    aio::ProtocolFactory client_factory = [c] { return c; };
    auto connecting = aio::create_connection(client_factory, "127.0.0.1", port);
    auto [t, p] = co_await connecting;
    clients.push_back(c);
    transports.push_back(t);
  }
  auto t0 = std::chrono::steady_clock::now();
  for (auto& c : clients) c->send();
  co_await done.wait();
  EchoResult result;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (auto& c : clients) result.round_trips += c->completed;
  for (auto& t : transports) t->close();
  server->close();
  server->close_clients();
  co_await server->wait_closed();
  co_return result;
}

}  // namespace nettest
