// Memory per idle connection on the server side: the transport, its
// protocol, the loop's bookkeeping. Read buffers are borrowed from the loop
// only while a read is in progress, so an idle connection owns none.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <vector>

#include "net_test_util.hpp"
#include "support/heap.hpp"

namespace {

struct Idle : aio::Protocol {
  aio::Transport* t = nullptr;
  void connection_made(aio::Transport& tr) override { t = &tr; }
  void data_received(std::string_view d) override { t->write(d); }
};

// Raw blocking client sockets (no user-space memory of their own), so the
// heap growth is the server's.
std::vector<int> connect_raw(int port, int n) {
  std::vector<int> fds;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < n; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      ::close(fd);
      break;
    }
    fds.push_back(fd);
  }
  return fds;
}

aio::Task<double> bytes_per_connection(int n, bool streams) {
  std::shared_ptr<aio::Server> server;
  if (streams) {
    aio::ClientConnectedCallback cb = [](std::shared_ptr<aio::StreamReader> r,
                                         std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
      std::string line = co_await r->readline();
      w->close();
    };
    aio::ServerOptions options;
    options.backlog = 4096;
    auto creating = aio::start_server(cb, "127.0.0.1", 0, aio::kDefaultStreamLimit, options);
    server = co_await creating;
  } else {
    aio::ProtocolFactory f = [] { return std::make_shared<Idle>(); };
    aio::ServerOptions options;
    options.backlog = 4096;
    auto creating = aio::create_server(f, "127.0.0.1", 0, options);
    server = co_await creating;
  }
  int port = server->sockname().port;
  // Warm up: the first connection allocates the loop's shared state.
  auto warm = connect_raw(port, 10);
  while (server->active_connections() < warm.size()) co_await aio::sleep(0.001);
  double before = aio_test::heap_in_use();
  std::vector<int> clients;
  while (static_cast<int>(clients.size()) < n) {
    // In batches, so the listen backlog never overflows.
    auto batch = connect_raw(port, std::min(500, n - static_cast<int>(clients.size())));
    clients.insert(clients.end(), batch.begin(), batch.end());
    while (server->active_connections() < clients.size() + warm.size()) co_await aio::sleep(0.001);
  }
  double per = (aio_test::heap_in_use() - before) / n;
  for (int fd : clients) ::close(fd);
  for (int fd : warm) ::close(fd);
  server->close();
  co_await server->wait_closed();
  co_return per;
}

TEST(Memory, IdleProtocolConnectionUnderOneKilobyte) {
  int n = 2000;
  nettest::raise_fd_limit(2 * n + 200);
  double per = nettest::run(bytes_per_connection(n, false), 60);
  std::printf("heap per idle protocol connection: %.0f bytes\n", per);
  EXPECT_LE(per, 1024.0);
}

TEST(Memory, IdleStreamConnection) {
  int n = 2000;
  nettest::raise_fd_limit(2 * n + 200);
  double per = nettest::run(bytes_per_connection(n, true), 60);
  // Reader, writer, protocol, transport and the handler's task frame.
  std::printf("heap per idle stream connection (handler task included): %.0f bytes\n", per);
  EXPECT_LE(per, 4096.0);
}

}  // namespace
