// Twin of py/scenarios/110_taskgroup_errors.py: the first failing child cancels the others and
// the body; every child error ends up in the ExceptionGroup, which except* splits by type.
#include "aio/task_group.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> fail(std::string name, double d, bool cleanup_fail = false) {
  try {
    co_await aio::sleep(d);
    log(name, "raising");
    throw ValueError(name);
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    if (cleanup_fail) throw ZeroDivisionError(name + " cleanup");
    throw;
  }
}

// Silent on cancellation: TaskGroup._abort() cancels siblings in *set* order, so only one
// sibling per abort may print for the trace to be deterministic.
aio::Task<void> sleeper(std::string name, double d) {
  co_await aio::sleep(d);
  log(name, "finished");
}

aio::Task<void> main_() {
  try {
    co_await aio::TaskGroup().run([](aio::TaskGroup& tg) -> aio::Task<void> {
      (void)tg.create_task(sleeper("s1", 5));
      (void)tg.create_task(fail("f1", 1));
      (void)tg.create_task(fail("f2", 5, true));
      (void)tg.create_task(sleeper("s2", 0.5));
      log("body waiting");
      try {
        co_await aio::sleep(10);
      } catch (const aio::CancelledError&) {
        log("body cancelled");
        throw;
      }
    });
  } catch (const aio::BaseExceptionGroup&) {
    auto eg = std::current_exception();  // except* ValueError / except* ZeroDivisionError
    if (auto part = exc_subgroup<ValueError>(eg)) print_exc(part, {"caught ValueError part:"});
    if (auto part = exc_subgroup<ZeroDivisionError>(eg)) print_exc(part, {"caught ZeroDivisionError part:"});
  }
  try {
    co_await aio::TaskGroup().run([](aio::TaskGroup& tg) -> aio::Task<void> {
      (void)tg.create_task(fail("g1", 1));
      (void)tg.create_task(fail("g2", 1));
      co_return;
    });
  } catch (const aio::ExceptionGroup&) {
    print_exc(std::current_exception(), {"whole group:"});
  }
}
}  // namespace

AIO_SCENARIO("110_taskgroup_errors") { run(main_); }
