// Pipes as transports: connect_read_pipe and connect_write_pipe with the
// stream classes on top. It numbers the lines written into a pipe; give it
// `-` to number its standard input instead (`printf 'a\nb\n' | example_net_pipes -`).
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "aio/aio.hpp"
#include "aio/net.hpp"

// asyncio: reader = StreamReader(); await loop.connect_read_pipe(lambda: StreamReaderProtocol(reader), f)
aio::Task<std::shared_ptr<aio::StreamReader>> open_read_pipe(int fd) {
  auto reader = std::make_shared<aio::StreamReader>();
  auto protocol = std::make_shared<aio::StreamReaderProtocol>(reader);
  // Named before the co_await: g++ 12.2 destroys a lambda temporary of a
  // co_await expression twice (README.md, "Compilers").
  aio::ProtocolFactory factory = [protocol] { return protocol; };
  co_await aio::connect_read_pipe(factory, fd);
  co_return reader;
}

aio::Task<std::shared_ptr<aio::StreamWriter>> open_write_pipe(int fd) {
  auto protocol = std::make_shared<aio::StreamReaderProtocol>(nullptr);
  aio::ProtocolFactory factory = [protocol] { return protocol; };
  auto [transport, _] = co_await aio::connect_write_pipe(factory, fd);
  co_return std::make_shared<aio::StreamWriter>(transport, protocol, nullptr);
}

aio::Task<void> number_lines(std::shared_ptr<aio::StreamReader> reader) {
  int n = 0;
  for (std::string line; !(line = co_await reader->readline()).empty();) std::printf("%d: %s", ++n, line.c_str());
}

aio::Task<void> amain(bool from_stdin) {
  if (from_stdin) {
    // The transport closes what it is given: a dup keeps fd 0 itself open.
    co_await number_lines(co_await open_read_pipe(::dup(STDIN_FILENO)));
    co_return;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) throw aio::RuntimeError(std::strerror(errno));
  auto reader = co_await open_read_pipe(fds[0]);
  auto writer = co_await open_write_pipe(fds[1]);
  auto numbering = aio::create_task(number_lines(reader));
  for (const char* line : {"first\n", "second\n", "third\n"}) {
    writer->write(line);
    co_await writer->drain();
  }
  writer->close();  // the reader sees the end of the pipe
  co_await numbering;
}

int main(int argc, char** argv) { aio::run(amain(argc > 1 && std::strcmp(argv[1], "-") == 0)); }
