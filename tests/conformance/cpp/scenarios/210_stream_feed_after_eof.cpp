// Twin of py/scenarios/210_stream_feed_after_eof.py: feed_data after feed_eof is asyncio's
// AssertionError (empty data too); feed_eof twice is fine; a reader pending at EOF gets b''.
#include "aio/net/streams.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  aio::StreamReader r;
  auto t = aio::create_task(r.read(4));
  co_await aio::sleep(1);
  log("at_eof before", r.at_eof());
  r.feed_eof();
  log("at_eof after feed_eof", r.at_eof());
  got = co_await t;
  log("pending read got", Bytes{got});
  for (std::string data : {"more", ""}) {
    try {
      r.feed_data(data);
      log("feed_data", Bytes{data}, "ok");
    } catch (const aio::AssertionError&) {
      print_exc(std::current_exception(), {"feed_data", Bytes{data}});
    }
  }
  r.feed_eof();
  log("feed_eof twice ok, at_eof", r.at_eof());
  aio::StreamReader r2;
  r2.feed_data("xy");
  r2.feed_data("");
  r2.feed_eof();
  log("r2 at_eof", r2.at_eof());
  got = co_await r2.readline();
  log("r2 readline", Bytes{got});
  log("r2 at_eof", r2.at_eof());
}
}  // namespace

AIO_SCENARIO("210_stream_feed_after_eof") { run(main_); }
