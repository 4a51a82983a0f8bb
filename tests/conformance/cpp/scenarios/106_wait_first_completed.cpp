// Twin of py/scenarios/106_wait_first_completed.py: wait(FIRST_COMPLETED) in a loop; tasks
// finishing at the same time are reported together.
#include <algorithm>

#include "aio/wait.hpp"
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
  for (auto [n, d] : std::vector<std::pair<std::string, double>>{{"a", 2}, {"b", 1}, {"c", 1}, {"d", 3}})
    ts.push_back(aio::create_task(job(n, d)));
  while (!ts.empty()) {
    auto [done, pending] = co_await aio::wait(ts, {.timeout = std::nullopt, .return_when = aio::FIRST_COMPLETED});
    std::vector<std::string> results;
    for (auto& t : done) results.push_back(t.result());
    log("done", sorted(results), "pending", pending.size());
    std::vector<aio::Task<std::string>> still;
    for (auto& t : ts)
      if (std::find(pending.begin(), pending.end(), t) != pending.end()) still.push_back(t);
    ts = still;
  }
}
}  // namespace

AIO_SCENARIO("106_wait_first_completed") { run(main_); }
