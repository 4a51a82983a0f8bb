// Twin of py/scenarios/213_stream_cancel_read.py: a pending read cancelled (directly or by
// wait_for's timeout) leaves the reader usable and loses no data.
#include "aio/net/streams.hpp"
#include "aio/wait_for.hpp"
#include "harness.hpp"
#include "stream_feeder.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  aio::StreamReader r;
  auto t = aio::create_task(r.readexactly(4));
  co_await aio::sleep(1);
  t.cancel();
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("read cancelled");
  }
  r.feed_data("ab");
  try {
    co_await aio::wait_for(r.readexactly(4), 2);
  } catch (const aio::TimeoutError&) {
    log("wait_for timed out");
  }
  std::vector<std::string> segments{"cd", "ef\n"};
  auto f = aio::create_task(feeder(r, segments));
  got = co_await r.readline();
  log("readline", Bytes{got});
  co_await f;
  got = co_await r.read();
  log("read()", Bytes{got});
}
}  // namespace

AIO_SCENARIO("213_stream_cancel_read") { run(main_); }
