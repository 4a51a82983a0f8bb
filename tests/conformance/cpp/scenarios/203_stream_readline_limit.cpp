// Twin of py/scenarios/203_stream_readline_limit.py: a line of exactly limit bytes passes; a
// longer one is a ValueError with readuntil's message, and drops the line up to its newline, or
// the whole buffer when no newline is buffered.
#include "aio/net/streams.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  aio::StreamReader r(4);
  r.feed_data("abcd\nabcde\nxy\n");
  got = co_await r.readline();
  log("readline", Bytes{got});
  try {
    co_await r.readline();
  } catch (const aio::ValueError&) {
    print_exc(std::current_exception(), {"long line"});
  }
  got = co_await r.readline();
  log("next readline", Bytes{got});
  r.feed_data("abcdefgh");
  try {
    co_await r.readline();
  } catch (const aio::ValueError&) {
    print_exc(std::current_exception(), {"no newline"});
  }
  log("at_eof", r.at_eof());
  r.feed_data("ij\nok\n");
  got = co_await r.readline();
  log("after clear", Bytes{got});
  got = co_await r.readline();
  log("after clear", Bytes{got});
  r.feed_data("abcdef\nrest");
  r.feed_eof();
  try {
    co_await r.readline();
  } catch (const aio::ValueError&) {
    print_exc(std::current_exception(), {"long line before EOF"});
  }
  got = co_await r.readline();
  log("partial", Bytes{got});
  got = co_await r.readline();
  log("at EOF", Bytes{got});
}
}  // namespace

AIO_SCENARIO("203_stream_readline_limit") { run(main_); }
