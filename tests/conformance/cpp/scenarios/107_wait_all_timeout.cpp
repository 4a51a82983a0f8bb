// Twin of py/scenarios/107_wait_all_timeout.py: wait(timeout=) returns the unfinished tasks in
// pending without cancelling them.
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

template <class T>
std::vector<bool> membership(const std::vector<T>& ts, const std::vector<T>& set) {
  std::vector<bool> in;
  for (const auto& t : ts) in.push_back(std::find(set.begin(), set.end(), t) != set.end());
  return in;
}

aio::Task<void> main_() {
  std::vector<aio::Task<std::string>> ts;
  for (auto [n, d] : std::vector<std::pair<std::string, double>>{{"a", 1}, {"b", 2}, {"c", 4}})
    ts.push_back(aio::create_task(job(n, d)));
  auto [done, pending] = co_await aio::wait(ts, {.timeout = 2.5});
  log("done", membership(ts, done), "pending", membership(ts, pending));
  log("c cancelled?", ts[2].cancelled());
  auto again = co_await aio::wait(ts, {.timeout = 10});
  log("done", again.done.size(), "pending", again.pending.size());
}
}  // namespace

AIO_SCENARIO("107_wait_all_timeout") { run(main_); }
