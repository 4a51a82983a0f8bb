// Twin of py/scenarios/168_timeout_around_taskgroup.py: a timeout around a TaskGroup turns the
// group's CancelledError into TimeoutError; a child failing during the cancellation wins;
// wait_for inside a timeout scope, with the earlier deadline on either side.
#include "aio/task_group.hpp"
#include "aio/timeouts.hpp"
#include "aio/wait_for.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> child(std::string name, double d, std::exception_ptr cleanup_error = nullptr) {
  try {
    co_await aio::sleep(d);
    log(name, "done");
  } catch (const aio::CancelledError&) {
    log(name, "cancelled");
    if (cleanup_error) std::rethrow_exception(cleanup_error);
    throw;
  }
}

aio::Task<void> main_() {
  {
    aio::Timeout cm = aio::timeout(1);
    try {
      co_await cm.run([]() -> aio::Task<void> {
        co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
          (void)tg.create_task(child("a", 0.5));
          (void)tg.create_task(child("b", 5));
          log("body waits");
          co_return;
        });
      });
    } catch (const aio::TimeoutError&) {
      log("TimeoutError, expired", cm.expired(), "cancelling", aio::current_task().cancelling());
    }
  }
  {
    aio::Timeout cm = aio::timeout(1);
    try {
      co_await cm.run([]() -> aio::Task<void> {
        co_await aio::task_group([](aio::TaskGroup& tg) -> aio::Task<void> {
          (void)tg.create_task(child("c", 5, std::make_exception_ptr(ValueError("c cleanup"))));
          co_return;
        });
      });
    } catch (const aio::TimeoutError&) {
      log("TimeoutError");
    } catch (const aio::ExceptionGroup&) {
      print_exc(std::current_exception(), {"group wins, expired", cm.expired()});
    }
    log("cancelling after the group", aio::current_task().cancelling());
  }
  {
    aio::Timeout cm = aio::timeout(2);
    try {
      co_await cm.run([&]() -> aio::Task<void> {
        try {
          co_await aio::wait_for(child("d", 5), 1);
        } catch (const aio::TimeoutError&) {
          log("wait_for TimeoutError first, scope expired", cm.expired());
        }
        co_await aio::sleep(5);
      });
    } catch (const aio::TimeoutError&) {
      log("then the scope TimeoutError, expired", cm.expired());
    }
  }
  try {
    co_await aio::timeout(1, []() -> aio::Task<void> { co_await aio::wait_for(child("e", 5), 2); });
  } catch (const aio::TimeoutError&) {
    log("scope TimeoutError around wait_for");
  }
}
}  // namespace

AIO_SCENARIO("168_timeout_around_taskgroup") { run(main_); }
