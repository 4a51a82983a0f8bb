// Twin of py/scenarios/205_stream_readuntil_limit.py: LimitOverrunError.consumed is where the
// separator starts (found beyond the limit) or the bytes searched (not found); the data stays.
#include "aio/net/streams.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  aio::StreamReader r(4);
  r.feed_data("abcdef|tail");
  std::optional<std::size_t> consumed;
  try {
    co_await r.readuntil("|");
  } catch (const aio::LimitOverrunError& e) {
    print_exc(std::current_exception(), {"found beyond limit"});
    log("consumed", e.consumed);
    consumed = e.consumed;
  }
  // (Python reads inside its except block; C++ cannot co_await there.)
  if (consumed) {
    got = co_await r.read(static_cast<long>(*consumed) + 1);
    log("read consumed+1", Bytes{got});
  }
  aio::StreamReader r2(4);
  r2.feed_data("0123456789");
  try {
    co_await r2.readuntil("||");
  } catch (const aio::LimitOverrunError& e) {
    print_exc(std::current_exception(), {"not found"});
    log("consumed", e.consumed);
  }
  got = co_await r2.read(100);
  log("still buffered", Bytes{got});
  aio::StreamReader r3(4);
  r3.feed_data("abcd|");
  got = co_await r3.readuntil("|");
  log("separator at limit", Bytes{got});
  r3.feed_data("abcde|");
  try {
    co_await r3.readuntil("|");
  } catch (const aio::LimitOverrunError& e) {
    print_exc(std::current_exception(), {"separator at limit+1"});
    log("consumed", e.consumed);
  }
}
}  // namespace

AIO_SCENARIO("205_stream_readuntil_limit") { run(main_); }
