// Twin of py/scenarios/208_stream_set_exception.py: set_exception wakes a pending reader; every
// read raises it afterwards, except readexactly(n<0) and readuntil(b''), which check their
// argument first.
#include <functional>

#include "aio/net/streams.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> setter(aio::StreamReader& r) {
  co_await aio::sleep(1);
  log("set_exception");
  r.set_exception(std::make_exception_ptr(aio::ConnectionResetError(0, "peer reset")));
}

aio::Task<void> main_() {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  aio::StreamReader r;
  log("exception()", r.exception());
  auto s = aio::create_task(setter(r));
  try {
    co_await r.readline();
  } catch (const aio::ConnectionResetError&) {
    print_exc(std::current_exception(), {"pending readline"});
  }
  co_await s;
  print_exc(r.exception(), {"exception()"});
  r.feed_data("data\n");
  std::vector<std::pair<std::string, std::function<aio::Task<std::string>()>>> calls{
      {"read(0)", [&] { return r.read(0); }},
      {"read(5)", [&] { return r.read(5); }},
      {"read()", [&] { return r.read(); }},
      {"readline", [&] { return r.readline(); }},
      {"readexactly(1)", [&] { return r.readexactly(1); }},
      {"readexactly(-1)", [&] { return r.readexactly(-1); }},
      {"readuntil(b'')", [&] { return r.readuntil(""); }},
      {"readuntil(b'x')", [&] { return r.readuntil("x"); }},
  };
  for (auto& [name, call] : calls) {
    try {
      auto reading = call();
      got = co_await reading;
      log(name, "->", Bytes{got});
    } catch (const std::exception&) {
      print_exc(std::current_exception(), {name});
    }
  }
  r.feed_eof();
  log("at_eof", r.at_eof());
}
}  // namespace

AIO_SCENARIO("208_stream_set_exception") { run(main_); }
