// Twin of py/scenarios/151_barrier_states.py: a newcomer blocks while the round drains, a
// waiter cancelled while filling (or after the round tripped) leaves the count, reset() breaks
// waiters then refills, abort() breaks until reset().
#include "aio/gather.hpp"
#include "aio/sync/barrier.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

// The [...] part of the repr: no address.
std::string show(const aio::Barrier& b) {
  std::string d = b.describe();
  return d.substr(d.find(" [") + 1, d.size() - d.find(" [") - 2) + " n_waiting=" + py_str(b.n_waiting()) +
         " broken=" + py_str(b.broken());
}

aio::Task<void> party(std::string name, aio::Barrier& b) {
  log(name, "waits", show(b));
  try {
    int idx = co_await b.wait();
    log(name, "passes index", idx, show(b));
  } catch (const aio::CancelledError&) {
    log(name, "cancelled", show(b));
    throw;
  } catch (const aio::BrokenBarrierError&) {
    log(name, "broken:", fmt_exc(), show(b));
  }
}

aio::Task<void> main_() {
  aio::Barrier b(2);
  // cancelled while filling
  auto a = aio::create_task(party("a", b));
  co_await aio::sleep(0);
  log("a waiting:", show(b));
  a.cancel();
  co_await aio::gather(aio::return_exceptions, a);
  log("after cancel:", show(b));
  // draining: c arrives while the round of d and e drains
  auto d = aio::create_task(party("d", b));
  auto e = aio::create_task(party("e", b));
  auto c = aio::create_task(party("c", b));
  co_await aio::sleep(0);
  log("tick 1:", show(b));
  auto f = aio::create_task(party("f", b));
  co_await aio::gather(d, e, c, f);
  log("after round 2:", show(b));
  // cancelled after the round tripped, before running
  auto g = aio::create_task(party("g", b));
  co_await aio::sleep(0);
  auto h = aio::create_task(party("h", b));
  co_await aio::sleep(0);
  log("tripped:", show(b));
  g.cancel();
  co_await aio::gather(aio::return_exceptions, g, h);
  log("after g/h:", show(b), "cancelled", g.cancelled());
  // reset with a waiter, and a newcomer during resetting
  auto i = aio::create_task(party("i", b));
  co_await aio::sleep(0);
  auto r = aio::create_task(b.reset());
  auto j = aio::create_task(party("j", b));
  co_await aio::sleep(0);
  log("resetting:", show(b));
  co_await aio::gather(i, r);
  log("after reset:", show(b));
  auto k = aio::create_task(party("k", b));
  co_await aio::gather(j, k);
  // abort
  auto l = aio::create_task(party("l", b));
  co_await aio::sleep(0);
  co_await b.abort();
  co_await l;
  co_await party("m", b);
  co_await b.reset();
  log("reset after abort:", show(b));
  auto n = aio::create_task(party("n", b));
  co_await party("o", b);
  co_await n;
  co_await b.reset();
  log("reset when empty:", show(b));
}
}  // namespace

AIO_SCENARIO("151_barrier_states") { run(main_); }
