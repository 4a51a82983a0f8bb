// Twin of py/scenarios/131_sleep_result.py: sleep(delay, result) returns result; sleep(0) and
// negative delays yield once; two sleep(0) loops interleave under gather.
#include "aio/gather.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> ticker(std::string name, int n) {
  for (int i = 0; i < n; ++i) {
    log(name, i);
    co_await aio::sleep(0);
  }
}

aio::Task<void> main_() {
  std::string r = co_await aio::sleep(1.5, std::string("wake"));
  log("sleep result", r);
  r = co_await aio::sleep(0, std::string("zero"));
  log("sleep 0 result", r);
  r = co_await aio::sleep(-1, std::string("neg"));
  log("negative result", r);
  co_await aio::gather(ticker("a", 3), ticker("b", 2));
  log("end");
}
}  // namespace

AIO_SCENARIO("131_sleep_result") { run(main_); }
