// Twin of py/scenarios/209_stream_data_then_exception.py: a reader woken by data returns it even
// when set_exception follows before it runs; set_exception while it waits wins over later data;
// a reader woken by EOF returns b''.
#include "aio/net/streams.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> reader(aio::StreamReader& r, std::string name) {
  std::string got;  // (GCC 12 miscompiles a co_await inside a braced initializer)
  try {
    got = co_await r.read(10);
    log(name, "got", Bytes{got});
  } catch (const aio::OSError&) {
    print_exc(std::current_exception(), {name});
  }
}

aio::Task<void> main_() {
  aio::StreamReader r;
  auto t = aio::create_task(reader(r, "first"));
  co_await aio::sleep(1);
  r.feed_data("abc");
  r.set_exception(std::make_exception_ptr(aio::OSError(0, "broken")));
  co_await t;
  co_await reader(r, "second");
  aio::StreamReader r2;
  auto t2 = aio::create_task(reader(r2, "third"));
  co_await aio::sleep(1);
  r2.set_exception(std::make_exception_ptr(aio::OSError(0, "broken first")));
  r2.feed_data("late");
  co_await t2;
  aio::StreamReader r3;
  auto t3 = aio::create_task(reader(r3, "fourth"));
  co_await aio::sleep(1);
  r3.feed_eof();
  r3.set_exception(std::make_exception_ptr(aio::OSError(0, "after eof")));
  co_await t3;
}
}  // namespace

AIO_SCENARIO("209_stream_data_then_exception") { run(main_); }
