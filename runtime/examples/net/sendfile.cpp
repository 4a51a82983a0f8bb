// sendfile: a file sent over a connection by the kernel (with a fallback to
// read + write where the kernel cannot).
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "aio/aio.hpp"
#include "aio/net.hpp"

struct Counter : aio::Protocol {
  std::size_t bytes = 0;
  aio::Event done;
  void data_received(std::string_view d) override { bytes += d.size(); }
  void connection_lost(std::exception_ptr) override { done.set(); }
};

aio::Task<void> amain() {
  char path[] = "/tmp/aio-sendfile-example-XXXXXX";
  int file = ::mkstemp(path);
  std::string content(1 << 20, 'x');
  [[maybe_unused]] auto w = ::write(file, content.data(), content.size());
  ::unlink(path);

  auto counter = std::make_shared<Counter>();
  aio::ProtocolFactory server_factory = [counter] { return counter; };
  auto server = co_await aio::create_server(server_factory, "127.0.0.1", 0);
  aio::ProtocolFactory client_factory = [] { return std::make_shared<aio::Protocol>(); };
  auto [transport, protocol] = co_await aio::create_connection(client_factory, "127.0.0.1", server->sockname().port);
  // A slice: 5000 bytes from offset 1000. As in asyncio, the file's position
  // ends at offset + the bytes sent (after an error too: it says how much went).
  std::size_t sent = co_await aio::sendfile(*transport, file, 1000, 5000);
  std::printf("sent %zu bytes, the file's position is %ld\n", sent, static_cast<long>(::lseek(file, 0, SEEK_CUR)));
  sent += co_await aio::sendfile(*transport, file);  // count 0: to the end (asyncio's None)
  transport->close();
  co_await counter->done.wait();
  std::printf("sent %zu bytes, the server received %zu\n", sent, counter->bytes);
  ::close(file);
  server->close();
  co_await server->wait_closed();
}

int main() { aio::run(amain()); }
