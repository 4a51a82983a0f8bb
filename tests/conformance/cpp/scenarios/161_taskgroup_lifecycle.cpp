// Twin of py/scenarios/161_taskgroup_lifecycle.py: TaskGroup.create_task before entry, while
// aborting and after the end (RuntimeError texts); a body error after the child errors; a child
// failing while the parent is cancelled from outside.
#include "aio/task_group.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> child(std::string name, double d, bool fail = false, std::exception_ptr cleanup_error = nullptr) {
  try {
    co_await aio::sleep(d);
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    if (cleanup_error) std::rethrow_exception(cleanup_error);
    throw;
  }
  if (fail) {
    log(name, "raising");
    throw ValueError(name);
  }
  log(name, "done");
}

void try_create(aio::TaskGroup& tg, const std::string& what) {
  try {
    (void)tg.create_task(child("late", 1));
    log(what, "accepted");
  } catch (const aio::RuntimeError&) {
    log(what, fmt_exc());  // the unstarted coroutine is destroyed here (Python: c.close())
  }
}

aio::Task<void> parent() {
  aio::TaskGroup g;
  co_await g.run([](aio::TaskGroup& g) -> aio::Task<void> {
    (void)g.create_task(child("c", 5, false, std::make_exception_ptr(ValueError("c cleanup"))));
    co_await aio::sleep(10);
  });
}

aio::Task<void> main_() {
  aio::TaskGroup tg0;
  try_create(tg0, "before entry:");

  aio::TaskGroup tg;
  try {
    co_await tg.run([](aio::TaskGroup& tg) -> aio::Task<void> {
      (void)tg.create_task(child("a", 1, true));
      (void)tg.create_task(child("b", 5, false, std::make_exception_ptr(ZeroDivisionError("b cleanup"))));
      bool cancelled = false;
      try {
        co_await aio::sleep(10);
      } catch (const aio::CancelledError&) {
        cancelled = true;
      }
      if (cancelled) {
        log("body cancelled; creating while aborting");
        try_create(tg, "while aborting:");
        throw RuntimeError("body failed");
      }
    });
  } catch (const aio::ExceptionGroup&) {
    print_exc(std::current_exception(), {"group:"});
  }
  try_create(tg, "after finish:");

  auto p = aio::create_task(parent());
  co_await aio::sleep(1);
  p.cancel();
  try {
    co_await p;
  } catch (const aio::ExceptionGroup&) {
    print_exc(std::current_exception(), {"parent raised"});
  }
  log("parent cancelled", p.cancelled(), "cancelling", p.cancelling());
}
}  // namespace

AIO_SCENARIO("161_taskgroup_lifecycle") { run(main_); }
