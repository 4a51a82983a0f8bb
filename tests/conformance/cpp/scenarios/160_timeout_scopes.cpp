// Twin of py/scenarios/160_timeout_scopes.py: nested timeouts expiring at the same instant,
// reschedule(None), a body swallowing the expiry, a cancel from outside, reschedule() after
// the scope ended, timeout(0).
#include "aio/timeouts.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> nested_same() {
  aio::EventLoop& loop = aio::get_running_loop();
  aio::Timeout outer = aio::timeout_at(loop.time() + 1);
  try {
    co_await outer.run([&]() -> aio::Task<void> {
      aio::Timeout inner = aio::timeout_at(loop.time() + 1);
      try {
        co_await inner.run([]() -> aio::Task<void> { co_await aio::sleep(5); });
      } catch (const aio::CancelledError&) {
        log("inner let CancelledError through, expired", inner.expired());
        throw;
      } catch (const aio::TimeoutError&) {
        log("inner raised TimeoutError");
      }
    });
  } catch (const aio::TimeoutError&) {
    log("outer TimeoutError, expired", outer.expired(), "cancelling", aio::current_task().cancelling());
  }
}

aio::Task<void> disarmed() {
  aio::Timeout cm = aio::timeout(1);
  co_await cm.run([&]() -> aio::Task<void> {
    cm.reschedule(std::nullopt);
    log("when after reschedule(None)", cm.when());
    co_await aio::sleep(2);
  });
  log("disarmed scope left, expired", cm.expired());
  try {
    cm.reschedule(5);
  } catch (const aio::RuntimeError&) {
    log("reschedule after exit:", fmt_exc());
  }
}

aio::Task<void> swallowed() {
  aio::Timeout cm = aio::timeout(1);
  co_await cm.run([&]() -> aio::Task<void> {
    try {
      co_await aio::sleep(2);
    } catch (const aio::CancelledError&) {
      log("body swallowed the expiry");
    }
    co_await aio::sleep(0.5);
    log("body goes on, cancelling", aio::current_task().cancelling());
  });
  log("left normally, expired", cm.expired(), "cancelling", aio::current_task().cancelling());
  try {
    cm.reschedule(5);
  } catch (const aio::RuntimeError&) {
    log("reschedule after expiry:", fmt_exc());
  }
}

aio::Task<void> outside() {
  aio::Timeout cm = aio::timeout(10);
  try {
    co_await cm.run([]() -> aio::Task<void> { co_await aio::sleep(20); });
  } catch (const aio::CancelledError&) {
    log("outside cancel stays CancelledError, expired", cm.expired());
    throw;
  }
}

aio::Task<void> zero() {
  aio::Timeout cm = aio::timeout(0);
  try {
    co_await cm.run([&]() -> aio::Task<void> {
      log("inside timeout(0), expired", cm.expired());
      co_await aio::sleep(0);
      log("not reached");
    });
  } catch (const aio::TimeoutError&) {
    log("timeout(0) fired at the first await, expired", cm.expired());
  }
}

aio::Task<void> main_() {
  co_await nested_same();
  co_await disarmed();
  co_await swallowed();
  auto t = aio::create_task(outside());
  co_await aio::sleep(1);
  t.cancel();
  try {
    co_await t;
  } catch (const aio::CancelledError&) {
    log("outside task cancelled", t.cancelled());
  }
  co_await zero();
}
}  // namespace

AIO_SCENARIO("160_timeout_scopes") { run(main_); }
