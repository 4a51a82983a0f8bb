// The anchors' echo workload: a server and 50 client connections in one
// process and one thread on 127.0.0.1 (TCP_NODELAY), each client doing
// sequential round trips of a 64-byte message. Prints
//   bench=echo impl=aio-protocol value=<round trips/s> unit=roundtrips/s
// like ../shared/anchors (run them in the same session and compare ratios).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/net.hpp"

namespace {

struct EchoServer : aio::Protocol {
  aio::Transport* t = nullptr;
  void connection_made(aio::Transport& tr) override { t = &tr; }
  void data_received(std::string_view d) override { t->write(d); }
};

struct Client : aio::Protocol {
  aio::Transport* t = nullptr;
  std::string msg = std::string(64, 'm');
  std::size_t pending = 0;
  long remaining = 0;
  aio::Event* all_done = nullptr;
  int* running = nullptr;
  void connection_made(aio::Transport& tr) override { t = &tr; }
  void start() {
    pending = msg.size();
    t->write(msg);
  }
  void data_received(std::string_view d) override {
    pending -= std::min(pending, d.size());
    if (pending) return;
    if (--remaining > 0) {
      start();
    } else if (--*running == 0) {
      all_done->set();
    }
  }
};

aio::Task<double> bench(long roundtrips, int connections) {
  aio::ProtocolFactory sf = [] { return std::make_shared<EchoServer>(); };
  auto creating = aio::create_server(sf, "127.0.0.1", 0);
  auto server = co_await creating;
  int port = server->sockname().port;
  aio::Event done;
  int running = connections;
  std::vector<std::shared_ptr<Client>> clients;
  std::vector<std::shared_ptr<aio::Transport>> transports;
  for (int i = 0; i < connections; ++i) {
    auto c = std::make_shared<Client>();
    c->remaining = roundtrips;
    c->all_done = &done;
    c->running = &running;
    aio::ProtocolFactory cf = [c] { return c; };
    auto connecting = aio::create_connection(cf, "127.0.0.1", port);
    auto [t, p] = co_await connecting;
    clients.push_back(c);
    transports.push_back(t);
  }
  auto t0 = std::chrono::steady_clock::now();
  for (auto& c : clients) c->start();
  co_await done.wait();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  for (auto& t : transports) t->close();
  server->close();
  server->close_clients();
  co_await server->wait_closed();
  co_return static_cast<double>(roundtrips) * connections / secs;
}

}  // namespace

int main(int argc, char** argv) {
  long roundtrips = argc > 1 ? std::atol(argv[1]) : 20000;
  int connections = argc > 2 ? std::atoi(argv[2]) : 50;
  double rate = aio::run(bench(roundtrips, connections));
  std::printf("bench=echo impl=aio-protocol value=%.0f unit=roundtrips/s\n", rate);
}
