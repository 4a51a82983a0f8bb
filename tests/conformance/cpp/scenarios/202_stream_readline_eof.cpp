// Twin of py/scenarios/202_stream_readline_eof.py: readline joins a line split over segments,
// returns the partial line at EOF, then b''.
#include "aio/net/streams.hpp"
#include "harness.hpp"
#include "stream_feeder.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  aio::StreamReader r;
  std::vector<std::string> segments{"hel", "lo\nwor", "ld\n\nx", "y", "z"};
  auto f = aio::create_task(feeder(r, segments));
  for (int i = 0; i < 6; ++i) {
    std::string line = co_await r.readline();
    log("readline", i, Bytes{line}, "at_eof", r.at_eof());
  }
  co_await f;
}
}  // namespace

AIO_SCENARIO("202_stream_readline_eof") { run(main_); }
