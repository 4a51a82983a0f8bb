// Twin of py/scenarios/132_ensure_future_future.py: ensure_future returns a future or task
// unchanged and wraps a coroutine (or other awaitable) in a task.
//
// API difference: aio::ensure_future takes a Task or a Future only. asyncio wraps any other
// awaitable in a coroutine (_wrap_awaitable) and makes that a task; the twin writes the
// custom awaitable as such a coroutine. isfuture() has no aio counterpart: a Future is one
// by its type, a Task once it is scheduled (is_task()), an unstarted coroutine is not.
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> custom_awaitable() {  // class Awaitable: __await__
  co_await aio::sleep(1);
  co_return "custom awaitable";
}

aio::Task<std::string> coro() { co_return "coro result"; }

template <class T>
bool isfuture(const aio::Future<T>&) {
  return true;
}
template <class T>
bool isfuture(const aio::Task<T>& t) {
  return t.is_task();
}

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  auto f = loop.create_future<std::string>();
  log("future unchanged", aio::ensure_future(f) == f);
  auto t = aio::create_task(coro());
  log("task unchanged", aio::ensure_future(t) == t);
  auto c = aio::ensure_future(coro());
  bool c_is_task = c.is_task();
  std::string c_result = co_await c;
  log("coroutine -> Task", c_is_task, c_result);
  auto a = aio::ensure_future(custom_awaitable());
  bool a_is_task = a.is_task();
  std::string a_result = co_await a;
  log("awaitable -> Task", a_is_task, a_result);
  f.set_result("f");
  log("isfuture", isfuture(f), isfuture(t), isfuture(coro()));
}
}  // namespace

AIO_SCENARIO("132_ensure_future_future") { run(main_); }
