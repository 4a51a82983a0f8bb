// Twin of py/scenarios/212_stream_two_readers.py: a second coroutine reading while one waits is
// a RuntimeError naming the method (readline is readuntil); once the waiter was woken, another
// read may take the data first.
#include "aio/net/streams.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> second(std::string name, aio::Task<std::string> coro) {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  try {
    got = co_await coro;
    log(name, "->", Bytes{got});
  } catch (const aio::RuntimeError&) {
    print_exc(std::current_exception(), {name});
  }
}

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  aio::StreamReader r;
  auto first = aio::create_task(r.read(5));
  co_await aio::sleep(1);
  co_await second("read", r.read(5));
  co_await second("readline", r.readline());
  co_await second("readuntil", r.readuntil("!"));
  co_await second("readexactly", r.readexactly(2));
  co_await second("read(0)", r.read(0));
  r.feed_data("hello!");
  got = co_await first;
  log("first got", Bytes{got});
  auto t = aio::create_task(r.readexactly(3));
  co_await aio::sleep(1);
  log("t waiting, done", t.done());
  r.feed_data("ab");
  co_await second("read while readexactly waits", r.read(5));
  log("t done", t.done());
  r.feed_eof();
  try {
    co_await t;
  } catch (const aio::IncompleteReadError&) {
    print_exc(std::current_exception(), {"t"});
  }
}
}  // namespace

AIO_SCENARIO("212_stream_two_readers") { run(main_); }
