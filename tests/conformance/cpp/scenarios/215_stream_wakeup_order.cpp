// Twin of py/scenarios/215_stream_wakeup_order.py: a woken reader runs on a later iteration, so
// segments fed in one step arrive together and the feeder runs on first.
#include "aio/gather.hpp"
#include "aio/net/streams.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> reader(aio::StreamReader& r, std::string name, long n) {
  log(name, "waits");
  std::string data = co_await r.read(n);
  log(name, "got", Bytes{data});
  co_return data;
}

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  aio::StreamReader a;
  aio::StreamReader b;
  auto ta = aio::create_task(reader(a, "A", 10));
  auto tb = aio::create_task(reader(b, "B", 10));
  co_await aio::sleep(0);
  b.feed_data("b1");
  a.feed_data("a1");
  a.feed_data("a2");
  log("fed both");
  co_await aio::sleep(0);
  log("after one iteration: A done", ta.done(), "B done", tb.done());
  co_await aio::gather(ta, tb);
  auto tc = aio::create_task(reader(a, "C", 2));
  co_await aio::sleep(0);
  a.feed_data("xyz");
  log("fed xyz");
  std::string c = co_await tc;
  got = co_await a.read(10);
  log("C", Bytes{c}, "left", Bytes{got});
}
}  // namespace

AIO_SCENARIO("215_stream_wakeup_order") { run(main_); }
