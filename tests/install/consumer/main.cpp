// The installed headers and library at work: tasks, gather, a TaskGroup, the
// virtual clock, and (natively) a TCP echo through aio::net.
#include <aio/aio.hpp>
#include <aio/net.hpp>

#include <cstdio>
#include <string>

aio::Task<std::string> say_after(double delay, std::string what) {
  co_await aio::sleep(delay);
  co_return what;
}

aio::Task<void> echo_once() {
  aio::ClientConnectedCallback echo = [](std::shared_ptr<aio::StreamReader> r,
                                         std::shared_ptr<aio::StreamWriter> w) -> aio::Task<void> {
    std::string line = co_await r->readline();
    w->write(line);
    co_await w->drain();
    w->close();
  };
  auto server = co_await aio::start_server(echo, "127.0.0.1", 0);
  auto [reader, writer] = co_await aio::open_connection("127.0.0.1", server->sockname().port);
  writer->write("ping\n");
  std::string back = co_await reader->readline();
  std::printf("echo: %s", back.c_str());
  writer->close();
  server->close();
  co_await server->wait_closed();
}

aio::Task<void> amain() {
  auto [a, b] = co_await aio::gather(say_after(2, "world"), say_after(1, "hello"));
  std::printf("%s %s at t=%.0f\n", b.c_str(), a.c_str(), aio::get_running_loop().time());
  int done = 0;
  co_await aio::task_group([&](aio::TaskGroup& tg) -> aio::Task<void> {
    for (int i = 0; i < 3; ++i) (void)tg.create_task(say_after(i, "x"));
    done = 3;
    co_return;
  });
  std::printf("task group: %d tasks\n", done);
}

int main() {
  aio::EventLoop loop({.clock = aio::Clock::virtual_time});
  loop.run_until_complete(amain());
  loop.close();
  aio::run(echo_once());
}
