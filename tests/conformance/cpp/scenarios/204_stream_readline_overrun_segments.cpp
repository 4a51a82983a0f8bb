// Twin of py/scenarios/204_stream_readline_overrun_segments.py: readline raises as soon as the
// searched bytes pass the limit, before the newline arrives, and clears the buffer.
#include "aio/net/streams.hpp"
#include "harness.hpp"
#include "stream_feeder.hpp"

namespace {
using namespace conformance;

aio::Task<void> reader_task(aio::StreamReader& r) {
  for (int i = 0; i < 4; ++i) {
    try {
      std::string line = co_await r.readline();
      log("line", i, Bytes{line});
    } catch (const aio::ValueError&) {
      print_exc(std::current_exception(), {"line", i});
    }
  }
}

aio::Task<void> main_() {
  aio::StreamReader r(5);
  std::vector<std::string> segments{"abc", "defg", "hi\nok", "\n"};
  auto f = aio::create_task(feeder(r, segments));
  co_await reader_task(r);
  co_await f;
}
}  // namespace

AIO_SCENARIO("204_stream_readline_overrun_segments") { run(main_); }
