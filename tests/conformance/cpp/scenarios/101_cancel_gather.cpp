// Twin of py/scenarios/101_cancel_gather.py: cancelling a gather cancels the children still
// running; the gather then raises CancelledError but g.cancelled() is False (3.11).
#include "aio/gather.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> child(std::string name, double delay) {
  try {
    co_await aio::sleep(delay);
    log(name, "finished");
    co_return name;
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    throw;
  }
}

aio::Task<void> main_() {
  std::vector<aio::Task<std::string>> tasks;
  double delays[] = {1, 5, 6};
  for (int i = 0; i < 3; ++i) tasks.push_back(aio::create_task(child("c" + std::to_string(i), delays[i])));
  auto g = aio::gather(tasks);
  co_await aio::sleep(2);
  log({"cancel gather", g.cancel()});
  try {
    co_await g;
  } catch (const aio::CancelledError&) {
    log("gather raised", fmt_exc());
  }
  std::vector<std::string> states;
  for (auto& t : tasks) states.push_back(t.cancelled() ? "cancelled" : t.result());
  log(states);
  log("g.cancelled", g.cancelled());
}
}  // namespace

AIO_SCENARIO("101_cancel_gather") { run(main_); }
