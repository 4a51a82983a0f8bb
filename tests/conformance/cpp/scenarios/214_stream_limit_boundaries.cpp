// Twin of py/scenarios/214_stream_limit_boundaries.py: the limit counts the bytes before the
// separator: exactly limit waits for the separator, limit+1 fails at once; limit 0 is a
// ValueError.
#include "aio/net/streams.hpp"
#include "harness.hpp"
#include "stream_feeder.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  try {
    aio::StreamReader zero(0);
  } catch (const aio::ValueError&) {
    print_exc(std::current_exception(), {"limit=0"});
  }
  aio::StreamReader r(3);
  std::vector<std::string> segments{"abc", "\n", "abcd", "\n"};
  auto f = aio::create_task(feeder(r, segments));
  got = co_await r.readline();
  log("exactly limit", Bytes{got});
  try {
    co_await r.readline();
  } catch (const aio::ValueError&) {
    print_exc(std::current_exception(), {"limit+1"});
  }
  got = co_await r.readline();
  log("then", Bytes{got});
  aio::StreamReader r2(3);
  r2.feed_data("ab");
  r2.feed_data("c<");
  auto t = aio::create_task(r2.readuntil("<>"));
  co_await aio::sleep(1);
  log("r2 waiting for the rest of the separator, done", t.done());
  r2.feed_data(">");
  got = co_await t;
  log("r2", Bytes{got});
  co_await f;
}
}  // namespace

AIO_SCENARIO("214_stream_limit_boundaries") { run(main_); }
