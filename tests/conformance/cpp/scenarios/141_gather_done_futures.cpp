// Twin of py/scenarios/141_gather_done_futures.py: gather of futures that are already done is
// still a pending future at first; empty gather; the same future twice.
//
// asyncio.gather returns a list: the twin uses aio::gather's vector form, whose result is a
// std::vector (the tuple form would print as a Python tuple).
#include "aio/gather.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  auto a = loop.create_future<int>();
  a.set_result(1);
  auto b = loop.create_future<int>();
  b.set_exception(ValueError("b failed"));
  auto c = loop.create_future<int>();
  c.cancel();
  // The lists are named: GCC 12 rejects a braced list inside a co_await expression.
  std::vector<aio::Future<int>> abc{a, b, c};
  auto g = aio::gather(aio::return_exceptions, abc);
  log("gather done immediately?", g.done());
  auto res = co_await g;
  std::vector<Obj> shown;
  for (auto& r : res) shown.push_back(r.has_value() ? Obj(r.value()) : Obj(fmt_exc(r.exception())));
  log(shown);
  std::vector<aio::Future<int>> none;
  auto empty = co_await aio::gather(none);
  log("empty gather", empty);
  auto d = loop.create_future<int>();
  d.set_result(2);
  std::vector<aio::Future<int>> dda{d, d, a};
  auto twice = co_await aio::gather(dda);
  log("same future twice", twice);
  try {
    std::vector<aio::Future<int>> ab{a, b};
    co_await aio::gather(ab);
  } catch (const ValueError&) {
    log("without return_exceptions:", fmt_exc());
  }
}
}  // namespace

AIO_SCENARIO("141_gather_done_futures") { run(main_); }
