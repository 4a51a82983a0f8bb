// Twin of py/scenarios/207_stream_readexactly.py: readexactly(n) over several segments (past
// the limit); n=0 is b''; n<0 ValueError; IncompleteReadError at EOF with what was buffered.
#include "aio/net/streams.hpp"
#include "harness.hpp"
#include "stream_feeder.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  aio::StreamReader r(2);
  std::vector<std::string> segments{"ab", "cde", "f", "ghi"};
  auto f = aio::create_task(feeder(r, segments));
  got = co_await r.readexactly(0);
  log("readexactly(0)", Bytes{got});
  try {
    co_await r.readexactly(-1);
  } catch (const aio::ValueError&) {
    print_exc(std::current_exception(), {"readexactly(-1)"});
  }
  got = co_await r.readexactly(4);
  log("readexactly(4) over the limit", Bytes{got});
  got = co_await r.readexactly(1);
  log("readexactly(1)", Bytes{got});
  try {
    co_await r.readexactly(10);
  } catch (const aio::IncompleteReadError& e) {
    print_exc(std::current_exception(), {"EOF"});
    log("partial", Bytes{e.partial}, "expected", e.expected);
  }
  log("at_eof", r.at_eof());
  try {
    co_await r.readexactly(1);
  } catch (const aio::IncompleteReadError& e) {
    print_exc(std::current_exception(), {"EOF again"});
    log("partial", Bytes{e.partial}, "expected", e.expected);
  }
  got = co_await r.readexactly(0);
  log("readexactly(0) at EOF", Bytes{got});
  co_await f;
}
}  // namespace

AIO_SCENARIO("207_stream_readexactly") { run(main_); }
