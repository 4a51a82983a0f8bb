// aio::run (asyncio.run) and Ctrl-C: the first interrupt cancels the main
// task, whose cleanup runs, and then run() raises KeyboardInterrupt; a second
// interrupt would end the program at once. This one presses Ctrl-C itself.
#include <csignal>
#include <cstdio>

#include "aio/aio.hpp"

aio::Task<void> serve() {
  std::puts("serving; press Ctrl-C to stop");
  aio::get_running_loop().call_later(0.2, [] { std::raise(SIGINT); });  // the user, 0.2 s later
  try {
    co_await aio::sleep(3600);
  } catch (const aio::CancelledError&) {
    std::puts("cancelled: closing connections, flushing logs");
    throw;
  }
}

int main() {
  // A program started in the background by a non-interactive shell has
  // SIGINT ignored, and aio::run leaves it that way; this one wants Ctrl-C.
  std::signal(SIGINT, SIG_DFL);
  try {
    aio::run(serve());
  } catch (const aio::KeyboardInterrupt&) {
    std::puts("interrupted: bye");
  }
}
