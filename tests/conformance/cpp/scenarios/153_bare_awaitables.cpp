// Twin of py/scenarios/153_bare_awaitables.py: the awaiters of aio::sleep() and Event::wait()
// go wherever asyncio takes its sleep() and wait() coroutines (create_task, ensure_future,
// gather, wait_for, shield, as_completed, TaskGroup, run_until_complete), each run in a task.
#include "aio/as_completed.hpp"
#include "aio/gather.hpp"
#include "aio/shield.hpp"
#include "aio/task_group.hpp"
#include "aio/wait_for.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  auto t = aio::create_task(aio::sleep(1, std::string("slept")), "sleeper");
  log("task", t.get_name(), "done", t.done());
  std::string slept = co_await t;
  log("task result", slept);
  auto [b, a] = co_await aio::gather(aio::sleep(2, std::string("b")), aio::sleep(1, std::string("a")));
  log("gather", std::vector<std::string>{b, a});
  std::vector<aio::detail::SleepAwaiter<double>> sleeps;
  for (double d : {0.5, 0.25}) sleeps.push_back(aio::sleep(d, d));
  std::vector<double> delays = co_await aio::gather(std::move(sleeps));
  log("gather list", delays);
  aio::Event ev;
  try {
    co_await aio::wait_for(ev.wait(), 0.5);
  } catch (const aio::TimeoutError&) {
    log("wait_for event timed out");
  }
  loop.call_later(0.25, [&ev] { ev.set(); });
  bool set = co_await aio::wait_for(ev.wait(), 1);
  log("wait_for event ->", set);
  std::string shielded = co_await aio::shield(aio::sleep(0.5, std::string("shielded")));
  log("shield ->", shielded);
  std::vector<aio::detail::SleepAwaiter<std::string>> racers;
  racers.push_back(aio::sleep(3, std::string("slow")));
  racers.push_back(aio::sleep(1, std::string("fast")));
  for (auto f : aio::as_completed(std::move(racers))) {
    std::string first = co_await f;
    log("as_completed", first);
  }
  aio::Task<std::string> in_group = co_await aio::TaskGroup().run([](aio::TaskGroup& tg) -> aio::Task<aio::Task<std::string>> {
    co_return tg.create_task(aio::sleep(1, std::string("in group")));
  });
  log("task group", in_group.result());
  auto f = aio::ensure_future(aio::sleep(0, std::string("ensured")));
  bool done_at_once = f.done();
  std::string ensured = co_await f;
  log("ensure_future done", done_at_once, "result", ensured);
  auto s = aio::create_task(aio::sleep(10));
  co_await aio::sleep(0);
  s.cancel();
  try {
    co_await s;
  } catch (const aio::CancelledError&) {
    log("sleep task cancelled", s.cancelled());
  }
  aio::Event ev2;
  auto w = aio::create_task(ev2.wait());
  co_await aio::sleep(1);
  log("wait task done", w.done());
  ev2.set();
  bool woken = co_await w;
  log("wait task result", woken);
}
}  // namespace

AIO_SCENARIO("153_bare_awaitables") {
  run(main_);
  aio::EventLoop& loop = new_loop();
  log("run_until_complete", loop.run_until_complete(aio::sleep(2, std::string("on its own loop"))));
  loop.close();
}
