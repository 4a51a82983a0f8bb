// Twin of py/scenarios/206_stream_readuntil_eof.py: IncompleteReadError at EOF (partial =
// everything buffered, expected None); empty separator ValueError; a multi-byte separator
// split over segments.
#include "aio/net/streams.hpp"
#include "harness.hpp"
#include "stream_feeder.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  aio::StreamReader r;
  std::vector<std::string> segments{"key=va", "lue\r", "\nnext\r", "\r\n", "tail\r"};
  auto f = aio::create_task(feeder(r, segments));
  try {
    co_await r.readuntil("");
  } catch (const aio::ValueError&) {
    print_exc(std::current_exception(), {"empty separator"});
  }
  got = co_await r.readuntil("\r\n");
  log("readuntil", Bytes{got});
  got = co_await r.readuntil("\r\n");
  log("readuntil", Bytes{got});
  try {
    co_await r.readuntil("\r\n");
  } catch (const aio::IncompleteReadError& e) {
    print_exc(std::current_exception(), {"EOF"});
    log("partial", Bytes{e.partial}, "expected", e.expected);
  }
  log("at_eof", r.at_eof());
  try {
    co_await r.readuntil("\r\n");
  } catch (const aio::IncompleteReadError& e) {
    print_exc(std::current_exception(), {"EOF again"});
    log("partial", Bytes{e.partial}, "expected", e.expected);
  }
  co_await f;
}
}  // namespace

AIO_SCENARIO("206_stream_readuntil_eof") { run(main_); }
