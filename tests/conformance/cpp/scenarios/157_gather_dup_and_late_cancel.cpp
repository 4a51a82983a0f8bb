// Twin of py/scenarios/157_gather_dup_and_late_cancel.py: the same task or coroutine passed
// twice to gather runs once; cancelling a gather that already failed returns False; with
// return_exceptions the cancel reaches the survivors and the gather raises (not cancelled).
#include "aio/gather.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

std::vector<std::string> runs;

aio::Task<std::string> work(std::string name, double d, bool fail = false) {
  runs.push_back(name);
  try {
    co_await aio::sleep(d);
  } catch (const aio::CancelledError& e) {
    log(name, "cancelled", str_repr(e.message()));
    throw;
  }
  if (fail) {
    log(name, "raising");
    throw ValueError(name);
  }
  log(name, "done");
  co_return name;
}

template <class Tuple>
std::vector<std::string> as_list(const Tuple& t) {
  return std::apply([](const auto&... s) { return std::vector<std::string>{s...}; }, t);
}

aio::Task<void> main_() {
  auto t = aio::create_task(work("t", 1));
  auto r = co_await aio::gather(t, t, work("u", 0.5), t);
  log("same task thrice:", as_list(r));
  auto c = work("c", 0.5);
  auto r2 = co_await aio::gather(c, c);
  log("same coroutine twice:", as_list(r2), "runs", runs);

  auto a = aio::create_task(work("a", 1, true));
  auto b = aio::create_task(work("b", 3));
  auto g = aio::gather(a, b);
  try {
    co_await g;
  } catch (const ValueError&) {
    log("gather raised", fmt_exc());
  }
  log({"g done", g.done(), "cancel g ->", g.cancel(), "g cancelled", g.cancelled()});
  log("b done", b.done());
  co_await b;
  log("b result", b.result());

  auto a2 = aio::create_task(work("a2", 1, true));
  auto b2 = aio::create_task(work("b2", 3));
  auto g2 = aio::gather(aio::return_exceptions, a2, b2);
  co_await aio::sleep(2);
  log("g2 done", g2.done(), "a2 done", a2.done());
  log({"cancel g2 ->", g2.cancel("stop")});
  try {
    co_await g2;
  } catch (const aio::CancelledError&) {
    log("g2 raised", fmt_exc());
  }
  log("g2 cancelled", g2.cancelled(), "b2 cancelled", b2.cancelled());

  // asyncio.gather() with no arguments: the empty list form, whose result prints as [].
  auto e = aio::gather(std::vector<aio::Task<int>>());
  bool e_done = e.done();
  bool e_cancel = e.cancel();
  auto e_result = co_await e;
  log("empty gather done", e_done, "cancel ->", e_cancel, "result", e_result);
}
}  // namespace

AIO_SCENARIO("157_gather_dup_and_late_cancel") { run(main_); }
