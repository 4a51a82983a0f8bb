// Twin of py/scenarios/200_stream_read_segments.py: read(n) returns what is buffered (at most
// n) once a byte is there; read(0) is b'' at once; read(n) at EOF is b''.
#include "aio/net/streams.hpp"
#include "harness.hpp"
#include "stream_feeder.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  aio::StreamReader r;
  std::vector<std::string> segments{"ab", "c", "defgh", "ij"};
  auto f = aio::create_task(feeder(r, segments));
  got = co_await r.read(0);
  log("read(0)", Bytes{got});
  got = co_await r.read(1);
  log("read(1)", Bytes{got});
  got = co_await r.read(5);
  log("read(5)", Bytes{got});
  co_await aio::sleep(3);
  got = co_await r.read(3);
  log("buffered, read(3)", Bytes{got});
  got = co_await r.read(100);
  log("read(100)", Bytes{got});
  got = co_await r.read(100);
  log("read(100)", Bytes{got});
  log("at_eof", r.at_eof());
  got = co_await r.read(100);
  log("read(100) at EOF", Bytes{got});
  got = co_await r.read(0);
  log("read(0) at EOF", Bytes{got});
  got = co_await r.read(-1);
  log("read(-1) at EOF", Bytes{got});
  co_await f;
}
}  // namespace

AIO_SCENARIO("200_stream_read_segments") { run(main_); }
