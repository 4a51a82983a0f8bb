// The anchors' echo workload: a server and 50 client connections in one
// process and one thread on 127.0.0.1 (TCP_NODELAY), each client doing
// sequential round trips of a 64-byte message (tests/support/echo.hpp). Prints
//   bench=echo impl=aio-protocol value=<round trips/s> unit=roundtrips/s
// like ../shared/anchors; tests/bench/run_net.sh runs it beside them.
#include <cstdio>
#include <cstdlib>

#include "support/echo.hpp"

int main(int argc, char** argv) {
  long roundtrips = argc > 1 ? std::atol(argv[1]) : 20000;
  int connections = argc > 2 ? std::atoi(argv[2]) : 50;
  auto result = aio::run(nettest::echo_round_trips(roundtrips, connections));
  if (result.round_trips != roundtrips * connections) {
    std::fprintf(stderr, "echo: %ld round trips of %ld\n", result.round_trips, roundtrips * connections);
    return 1;
  }
  std::printf("bench=echo impl=aio-protocol value=%.0f unit=roundtrips/s\n", result.round_trips / result.seconds);
}
