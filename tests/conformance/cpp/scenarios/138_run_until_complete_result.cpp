// Twin of py/scenarios/138_run_until_complete_result.py: run_until_complete returns the
// result of a coroutine, future or task, raises its exception, and can be repeated on a task.
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<int> add(int a, int b) {
  co_await aio::sleep(1);
  co_return a + b;
}

aio::Task<int> fail() {
  co_await aio::sleep(1);
  throw ValueError("bad input");
}
}  // namespace

AIO_SCENARIO("138_run_until_complete_result") {
  aio::EventLoop& loop = new_loop();
  log({"first", loop.run_until_complete(add(1, 2))});
  try {
    loop.run_until_complete(fail());
  } catch (const ValueError&) {
    log("raised", fmt_exc());
  }
  auto fut = loop.create_future<std::string>();
  loop.call_later(2, [fut]() mutable { fut.set_result("from callback"); });
  log({"future", loop.run_until_complete(fut)});
  auto t = loop.create_task(add(10, 20));
  log({"task", loop.run_until_complete(t), "again", loop.run_until_complete(t)});
  loop.close();
}
