// Twin of py/scenarios/109_as_completed_timeout.py: with a timeout, as_completed raises
// TimeoutError for the results not in yet; the tasks themselves are not cancelled.
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
  for (auto [n, d] : std::vector<std::pair<std::string, double>>{{"a", 1}, {"b", 3}, {"c", 2}})
    ts.push_back(aio::create_task(job(n, d)));
  try {
    for (auto f : aio::as_completed(ts, 2.5)) {
      std::string r = co_await f;
      log("got", r);
    }
  } catch (const aio::TimeoutError&) {
    log("as_completed raised", fmt_exc());
  }
  log("b cancelled?", ts[1].cancelled());
  std::string b = co_await ts[1];
  log("b result", b);
}
}  // namespace

AIO_SCENARIO("109_as_completed_timeout") { run(main_); }
