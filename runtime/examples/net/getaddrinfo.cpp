// getaddrinfo and getnameinfo without blocking the loop: lookups go to the
// default executor.
#include <netdb.h>
#include <sys/socket.h>

#include <cstdio>

#include "aio/aio.hpp"
#include "aio/net.hpp"

aio::Task<void> amain() {
  auto infos = co_await aio::getaddrinfo("localhost", "80", 0, SOCK_STREAM);
  for (const auto& info : infos) std::printf("localhost:80 -> %s\n", info.address.to_string().c_str());
  // And back: the name and service of an address (asyncio's loop.getnameinfo).
  auto [host, service] = co_await aio::getnameinfo(aio::inet_address("127.0.0.1", 80));
  std::printf("127.0.0.1:80 <- %s:%s\n", host.c_str(), service.c_str());
  try {
    co_await aio::getaddrinfo("no-such-host.invalid", "80");
  } catch (const aio::gaierror& e) {
    std::printf("gaierror: %s\n", e.what());
  }
}

int main() { aio::run(amain()); }
