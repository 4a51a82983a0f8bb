// Twin of py/scenarios/211_stream_async_for.py: "async for line in reader" (lines()) yields each
// line as it completes, ends at EOF after the partial last line, and ends with the stream's
// error once one is set.
#include "aio/net/streams.hpp"
#include "harness.hpp"
#include "stream_feeder.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  aio::StreamReader r;
  std::vector<std::string> segments{"a\nb", "\n", "c\nd\ne", "nd"};
  auto f = aio::create_task(feeder(r, segments));
  auto lines = r.lines();
  while (auto line = co_await lines.next()) log("line", Bytes{*line});
  log("loop done, at_eof", r.at_eof());
  co_await f;
  aio::StreamReader r2;
  r2.feed_data("x\ny\n");
  r2.set_exception(std::make_exception_ptr(aio::ValueError("bad stream")));
  try {
    auto lines2 = r2.lines();
    while (auto line = co_await lines2.next()) log("r2 line", Bytes{*line});
  } catch (const aio::ValueError&) {
    print_exc(std::current_exception(), {"r2 loop"});
  }
}
}  // namespace

AIO_SCENARIO("211_stream_async_for") { run(main_); }
