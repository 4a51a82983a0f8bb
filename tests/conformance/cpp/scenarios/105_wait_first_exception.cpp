// Twin of py/scenarios/105_wait_first_exception.py: wait(FIRST_EXCEPTION) returns when a task
// raises; waiting again returns at once.
#include <algorithm>

#include "aio/wait.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> job(std::string name, double d, bool fail = false) {
  co_await aio::sleep(d);
  log(name, "finishing", fail ? "with error" : "ok");
  if (fail) throw RuntimeError(name + " failed");
  co_return name;
}

template <class T>
std::vector<bool> membership(const std::vector<T>& ts, const std::vector<T>& set) {
  std::vector<bool> in;
  for (const auto& t : ts) in.push_back(std::find(set.begin(), set.end(), t) != set.end());
  return in;
}

aio::Task<void> main_() {
  std::vector<aio::Task<std::string>> ts{aio::create_task(job("a", 1)), aio::create_task(job("b", 2, true)),
                                         aio::create_task(job("c", 3))};
  auto [done, pending] = co_await aio::wait(ts, {.timeout = std::nullopt, .return_when = aio::FIRST_EXCEPTION});
  log("done", membership(ts, done), "pending", membership(ts, pending));
  log("b exception", fmt_exc(ts[1].exception()));
  auto second = co_await aio::wait(ts, {.timeout = std::nullopt, .return_when = aio::FIRST_EXCEPTION});
  log("second wait returns at once (b already failed)", second.done.size(), second.pending.size());
}
}  // namespace

AIO_SCENARIO("105_wait_first_exception") { run(main_); }
