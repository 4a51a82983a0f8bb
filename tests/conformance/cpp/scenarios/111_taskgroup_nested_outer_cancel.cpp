// Twin of py/scenarios/111_taskgroup_nested_outer_cancel.py: cancelling the task that runs an
// outer TaskGroup cancels the children of nested groups too, innermost cleanup first.
#include "aio/task_group.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> child(std::string name, double d) {
  try {
    co_await aio::sleep(d);
    log(name, "finished");
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    throw;
  }
}

aio::Task<void> inner_group() {
  Finally finally{[] { log("inner_group finally"); }};
  co_await aio::TaskGroup().run([](aio::TaskGroup& tg) -> aio::Task<void> {
    (void)tg.create_task(child("inner-a", 5));
    (void)tg.create_task(child("inner-b", 1));
    co_return;
  });
  log("inner group exited normally");
}

aio::Task<void> outer() {
  try {
    co_await aio::TaskGroup().run([](aio::TaskGroup& tg) -> aio::Task<void> {
      (void)tg.create_task(child("outer-a", 5));
      (void)tg.create_task(inner_group());
      co_return;
    });
  } catch (const aio::CancelledError&) {
    log("outer saw CancelledError");
    throw;
  }
}

aio::Task<void> main_() {
  auto t = aio::create_task(outer());
  co_await aio::sleep(2);
  t.cancel();
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("main: outer task cancelled", t.cancelled());
  }
}
}  // namespace

AIO_SCENARIO("111_taskgroup_nested_outer_cancel") { run(main_); }
