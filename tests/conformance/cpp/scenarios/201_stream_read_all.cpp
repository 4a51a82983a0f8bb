// Twin of py/scenarios/201_stream_read_all.py: read() collects every segment until EOF (the
// limit does not cap it); at_eof() needs EOF fed and the buffer drained.
#include "aio/net/streams.hpp"
#include "harness.hpp"
#include "stream_feeder.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  aio::StreamReader r(3);
  log("at_eof fresh", r.at_eof());
  std::vector<std::string> segments{"one ", "two ", "three", " four"};
  auto f = aio::create_task(feeder(r, segments));
  std::string data = co_await r.read();
  log("read()", Bytes{data}, data.size());
  log("at_eof", r.at_eof());
  co_await f;
  aio::StreamReader r2;
  r2.feed_data("left");
  r2.feed_eof();
  log("r2 at_eof with data", r2.at_eof());
  got = co_await r2.read(2);
  log("r2 read(2)", Bytes{got});
  log("r2 at_eof", r2.at_eof());
  got = co_await r2.read(-1);
  log("r2 read(-1)", Bytes{got});
  log("r2 at_eof", r2.at_eof());
  got = co_await r2.read(-1);
  log("r2 read(-1) again", Bytes{got});
}
}  // namespace

AIO_SCENARIO("201_stream_read_all") { run(main_); }
