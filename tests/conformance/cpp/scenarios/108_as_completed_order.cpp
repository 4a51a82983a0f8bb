// Twin of py/scenarios/108_as_completed_order.py: as_completed yields results in completion
// order; equal deadlines in the order the tasks finish.
#include "aio/as_completed.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> job(std::string name, double d) {
  co_await aio::sleep(d);
  log(name, "finished");
  co_return name;
}

aio::Task<void> main_() {
  std::vector<aio::Task<std::string>> ts;
  for (auto [n, d] : std::vector<std::pair<std::string, double>>{{"slow", 3}, {"fast", 1}, {"mid", 2}, {"fast2", 1}})
    ts.push_back(aio::create_task(job(n, d)));
  int i = 0;
  for (auto f : aio::as_completed(ts)) {
    std::string r = co_await f;
    log("as_completed", i++, r);
  }
}
}  // namespace

AIO_SCENARIO("108_as_completed_order") { run(main_); }
