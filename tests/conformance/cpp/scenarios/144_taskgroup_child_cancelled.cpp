// Twin of py/scenarios/144_taskgroup_child_cancelled.py: a child cancelled from outside is not
// an error for its TaskGroup; the group waits for the others and exits normally.
#include "aio/task_group.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> child(std::string name, double d) {
  try {
    co_await aio::sleep(d);
    log(name, "finished");
    co_return name;
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    throw;
  }
}

aio::Task<void> main_() {
  aio::Task<std::string> a, b, c;
  co_await aio::TaskGroup().run([&](aio::TaskGroup& tg) -> aio::Task<void> {
    a = tg.create_task(child("a", 1));
    b = tg.create_task(child("b", 5));
    c = tg.create_task(child("c", 2));
    co_await aio::sleep(0.5);
    b.cancel();
    log("body done");
  });
  log("group exited", a.result(), b.cancelled(), c.result());
}
}  // namespace

AIO_SCENARIO("144_taskgroup_child_cancelled") { run(main_); }
