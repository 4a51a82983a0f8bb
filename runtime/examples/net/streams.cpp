// Streams: start_server with a handler per client, open_connection, readline,
// readexactly, drain, and `async for line in reader`.
#include <cstdio>
#include <memory>
#include <string>

#include "aio/aio.hpp"
#include "aio/net.hpp"

aio::Task<void> handle_client(std::shared_ptr<aio::StreamReader> reader, std::shared_ptr<aio::StreamWriter> writer) {
  auto lines = reader->lines();
  while (auto line = co_await lines.next()) {
    std::string reply = "echo: " + *line;
    writer->write(reply);
    co_await writer->drain();
  }
  writer->close();
  co_await writer->wait_closed();
}

aio::Task<void> amain() {
  auto server = co_await aio::start_server(handle_client, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  for (const char* msg : {"first\n", "second\n"}) {
    writer->write(msg);
    co_await writer->drain();
    std::string line = co_await reader->readline();
    std::printf("%s", line.c_str());
  }
  writer->write("exactly 10");
  writer->write_eof();
  std::string ten = co_await reader->readexactly(6);
  std::printf("readexactly(6): '%s'\n", ten.c_str());
  std::string rest = co_await reader->read();
  std::printf("read() to EOF: '%s'\n", rest.c_str());
  writer->close();
  co_await writer->wait_closed();
  server->close();
  co_await server->wait_closed();
}

int main() { aio::run(amain()); }
