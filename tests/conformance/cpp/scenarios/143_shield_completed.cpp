// Twin of py/scenarios/143_shield_completed.py: shield of a done task is the task itself;
// shield re-raises the inner exception; cancelling the outer future leaves the inner running.
//
// Expected deviation: aio::shield returns a Future<T>, and a Task<T> is not one, so shield of
// a done task is a new, already-done future: "is the task" prints False (see
// cpp/deviations/143_shield_completed.txt and shield.hpp).
#include "aio/shield.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<int> val(int v) { co_return v; }

aio::Task<int> bad() {
  throw ValueError("inner failed");
  co_return 0;
}

aio::Task<void> main_() {
  auto t = aio::create_task(val(7));
  co_await t;
  auto s = aio::shield(t);
  bool same = &s.core() == &t.core();  // s is t
  int r = co_await s;
  log("shield of done task is the task", same, r);
  auto b = aio::create_task(bad());
  try {
    co_await aio::shield(b);
  } catch (const ValueError&) {
    log("shield re-raised", fmt_exc());
  }
  auto inner = aio::create_task(aio::sleep(1, std::string("inner ok")));
  auto outer = aio::shield(inner);
  outer.cancel();
  log("outer cancelled", outer.cancelled(), "inner cancelled", inner.cancelled());
  std::string ir = co_await inner;
  log("inner result", ir);
}
}  // namespace

AIO_SCENARIO("143_shield_completed") { run(main_); }
