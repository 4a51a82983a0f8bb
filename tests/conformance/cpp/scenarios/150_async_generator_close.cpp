// Twin of py/scenarios/150_async_generator_close.py: aclose() before the first next() closes
// the generator without running it; after aclose() or an exception, next() gives the empty
// optional (StopAsyncIteration); closing twice is a no-op. `finally:` is a Finally guard.
#include "aio/async_generator.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::AsyncGenerator<int> gen(std::string name) {
  log(name, "started");
  Finally cleanup{[name] { log(name, "cleanup"); }};
  for (int i = 0; i < 3; ++i) {
    co_await aio::sleep(0.1);
    co_yield i;
  }
}

aio::AsyncGenerator<int> bad() {
  co_yield 1;
  throw aio::ValueError("gen failed");
}

aio::Task<void> main_() {
  auto g = gen("g1");
  co_await g.aclose();
  if (auto v = co_await g.next())
    log("g1 next", *v);
  else
    log("g1 StopAsyncIteration");
  g = gen("g2");
  log("g2 next", *co_await g.next());
  co_await g.aclose();
  if (auto v = co_await g.next())
    log("g2 next", *v);
  else
    log("g2 StopAsyncIteration");
  co_await g.aclose();
  log("g2 closed twice");
  auto b = bad();
  log("bad next", *co_await b.next());
  try {
    co_await b.next();
  } catch (const aio::ValueError&) {
    log("bad raised", fmt_exc());
  }
  if (!co_await b.next()) log("bad StopAsyncIteration");
}
}  // namespace

AIO_SCENARIO("150_async_generator_close") { run(main_); }
