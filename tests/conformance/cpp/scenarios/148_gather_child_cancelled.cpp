// Twin of py/scenarios/148_gather_child_cancelled.py: cancelling one child makes the gather
// raise CancelledError (g.cancelled() stays False) while the other children keep running.
#include "aio/gather.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> child(std::string name, double d) {
  co_await aio::sleep(d);
  log(name, "finished");
  co_return name;
}

aio::Task<void> main_() {
  std::vector<aio::Task<std::string>> ts;
  for (int i = 0; i < 3; ++i) ts.push_back(aio::create_task(child("c" + std::to_string(i), i + 1)));
  auto g = aio::gather(ts);
  aio::get_running_loop().call_later(0.5, [t = ts[1]]() mutable { t.cancel(); });
  try {
    co_await g;
  } catch (const aio::CancelledError&) {
    log("gather raised", fmt_exc(), "g.cancelled", g.cancelled());
  }
  log("others still running", ts[0].done(), ts[2].done());
  co_await aio::sleep(3);
  log("results", ts[0].result(), ts[1].cancelled(), ts[2].result());
}
}  // namespace

AIO_SCENARIO("148_gather_child_cancelled") { run(main_); }
