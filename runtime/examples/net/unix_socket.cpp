// Unix-socket streams: start_unix_server and open_unix_connection.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "aio/aio.hpp"
#include "aio/net.hpp"

aio::Task<void> greet(std::shared_ptr<aio::StreamReader> reader, std::shared_ptr<aio::StreamWriter> writer) {
  std::string name = co_await reader->readline();
  writer->write("hello, " + name);
  co_await writer->drain();
  writer->close();
}

aio::Task<void> amain() {
  std::string path = "/tmp/aio-example-" + std::to_string(::getpid()) + ".sock";
  auto server = co_await aio::start_unix_server(greet, path);
  auto [reader, writer] = co_await aio::open_unix_connection(path);
  writer->write("unix\n");
  std::string reply = co_await reader->read();
  std::printf("%s", reply.c_str());
  writer->close();
  server->close();  // removes the socket file (ServerOptions::cleanup_socket)
  co_await server->wait_closed();
}

int main() { aio::run(amain()); }
