// Twin of py/scenarios/102_gather_return_exceptions.py: return_exceptions=True collects
// exceptions (a cancelled child gives CancelledError) in argument order; without it the
// first exception propagates and the other children keep running.
#include "aio/gather.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

template <class V>
aio::Task<V> ok(V v, double d) {
  co_await aio::sleep(d);
  log("ok", v);
  co_return v;
}

aio::Task<int> bad(std::string msg, double d) {
  co_await aio::sleep(d);
  log("bad", msg);
  throw ValueError(msg);
}

// [r if isinstance(r, int) else fmt_exc(r) for r in res]
template <class T>
Obj int_or_exc(const aio::Outcome<T>& r) {
  if (r.has_value()) return Obj(r.value());
  return Obj(fmt_exc(r.exception()));
}

aio::Task<void> main_() {
  auto victim = aio::create_task(ok(std::string("victim"), 10));
  aio::get_running_loop().call_later(0.5, [victim]() mutable { victim.cancel(); });
  auto res = co_await aio::gather(aio::return_exceptions, ok(1, 1), bad("boom", 0.5), ok(2, 2), victim);
  std::vector<Obj> shown;
  std::apply([&](const auto&... r) { (shown.push_back(int_or_exc(r)), ...); }, res);
  log(shown);
  auto t2 = aio::ensure_future(ok(3, 3));
  try {
    co_await aio::gather(bad("first", 1), bad("second", 2), t2);
  } catch (const ValueError&) {
    log("gather raised", fmt_exc(), "t2.done", t2.done());
  }
  co_await aio::sleep(5);
  log("t2 result", t2.result());
}
}  // namespace

AIO_SCENARIO("102_gather_return_exceptions") { run(main_); }
