// add_signal_handler: SIGUSR1 sent to ourselves runs a callback on the loop.
#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include "aio/aio.hpp"
#include "aio/net.hpp"

aio::Task<void> amain() {
  auto& loop = aio::get_running_loop();
  aio::Event got;
  aio::add_signal_handler(loop, SIGUSR1, [&] {
    std::printf("SIGUSR1 handled on the loop\n");
    got.set();
  });
  ::kill(::getpid(), SIGUSR1);
  co_await got.wait();
  aio::remove_signal_handler(loop, SIGUSR1);
}

int main() { aio::run(amain()); }
