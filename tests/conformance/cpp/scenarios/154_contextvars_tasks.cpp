// Twin of py/scenarios/154_contextvars_tasks.py: a task runs in a copy of the context current at
// create_task; gather and TaskGroup children copy it the same way; create_task(context=) shares
// a Context. The TaskGroup body is a coroutine passed in (aio's `async with`), awaited inline, so
// its set() is the enclosing task's, as in the `async with` block.
#include "aio/contextvars.hpp"
#include "aio/gather.hpp"
#include "aio/task_group.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::ContextVar<std::string> request("request", "-");
aio::ContextVar<std::string> step("step");

aio::Task<std::string> worker(std::string name, double delay) {
  log(name, "start", request.get(), step.get("unset"));
  step.set(name);
  co_await aio::sleep(delay);
  log(name, "end", request.get(), step.get());
  co_return name + ":" + request.get();
}

aio::Task<std::string> setter(std::string value) {
  request.set(value);
  co_await aio::sleep(0);
  log("setter sees", request.get());
  co_return value;
}

aio::Task<std::string> nested() {
  step.set("nested");
  co_return request.get();
}

aio::Task<std::string> tg1_result, tg2_result;

aio::Task<void> main_() {
  auto early = aio::create_task(worker("early", 0.1));
  auto token = request.set("req-1");
  auto late = aio::create_task(worker("late", 0.1));
  log("main", request.get(), step.get("unset"));
  auto [g1, s, g2] = co_await aio::gather(worker("g1", 0.2), setter("req-2"), worker("g2", 0.1));
  log("gather", g1, s, g2);
  log("main after gather", request.get(), step.get("unset"));
  std::string e = co_await early;
  std::string l = co_await late;
  log("early/late", e, l);
  co_await aio::TaskGroup().run([](aio::TaskGroup& tg) -> aio::Task<void> {
    tg1_result = tg.create_task(worker("tg1", 0.1));
    request.set("req-3");
    tg2_result = tg.create_task(worker("tg2", 0.05));
    log("body", request.get());
    co_return;
  });
  log("taskgroup", tg1_result.result(), tg2_result.result());
  std::string n = co_await nested();
  log("nested", n, step.get("unset"));
  aio::Context shared = aio::copy_context();
  auto a = aio::create_task(setter("shared-a"), "a", shared);
  co_await a;
  log("shared holds", shared.get(request).value(), "main has", request.get());
  auto b = aio::create_task(worker("b", 0), "b", shared);
  std::string br = co_await b;
  log("b result", br);
  log("shared step", shared.get(step).value(), "main step", step.get("unset"));
  request.reset(token);
  log("after reset", request.get());
  tg1_result = {};
  tg2_result = {};
}
}  // namespace

AIO_SCENARIO("154_contextvars_tasks") { run(main_); }
