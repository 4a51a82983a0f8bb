// The "basics" demos: coroutines, tasks, futures and callbacks on one loop,
// ported from the asyncio tutorials (/work/shared/seeds). Each function keeps
// the shape of its Python twin in tests/conformance/py/scenarios/ so the two
// can be read side by side; comments quote the Python where C++ must differ.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>

#include "aio/async_generator.hpp"
#include "aio/demos/demo.hpp"
#include "aio/sleep.hpp"
#include "support.hpp"

namespace aio::demos {
namespace {

using py::fixed;

using support::Finally;
using support::state;

// ---- create-task-state (001) ------------------------------------------------

Task<void> do_wait(DemoContext& ctx, int x) {
  ctx.print("wating:", x);
  co_return;
}

void create_task_state(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  Task<void> corontine = do_wait(ctx, 1);
  Task<void> task = loop.create_task(std::move(corontine));
  ctx.print(state(task));  // pending
  loop.run_until_complete(task);
  ctx.print(state(task));  // finished
  loop.close();
}

// ---- done-callback (004) ----------------------------------------------------

Task<std::string> do_haha(DemoContext& ctx) {
  ctx.print("Waiting: ");
  co_return "haha";
}

void done_callback(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  double start = loop.time();
  // asyncio.ensure_future(coroutine) outside a running loop uses the current
  // loop; aio has no implicit current loop, so name it.
  Task<std::string> task = loop.create_task(do_haha(ctx));
  task.add_done_callback([&ctx](Task<std::string>& future) { ctx.print("Callback: ", future.result()); });
  loop.run_until_complete(task);
  ctx.print("TIME: ", fixed(loop.time() - start, 3));
  loop.close();
}

// ---- say-after (009) --------------------------------------------------------

Task<void> say_after(DemoContext& ctx, double delay, std::string what) {
  co_await sleep(delay);
  ctx.print(what);
}

Task<void> say_after_main(DemoContext& ctx) {
  Task<void> task1 = create_task(say_after(ctx, ctx.param("first", 1.0), "hello"));
  Task<void> task2 = create_task(say_after(ctx, ctx.param("second", 2.0), "world"));
  ctx.print("started at " + fixed(get_running_loop().time(), 3));
  co_await task1;
  co_await task2;
  ctx.print("finished at " + fixed(get_running_loop().time(), 3));
}

// ---- call-soon-stop (010) ---------------------------------------------------

void call_soon_stop(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  // A callback to print 'Hello World' and stop the event loop.
  loop.call_soon([&ctx, &loop] {
    ctx.print("Hello World");
    loop.stop();
  });
  Finally close{[&] {
    loop.close();
    ctx.print("closed", loop.is_closed());
  }};
  // Blocking call interrupted by loop.stop()
  loop.run_forever();
  ctx.print("run_forever returned");
}

// ---- display-date (011) -----------------------------------------------------

void display_date(DemoContext& ctx, double end_time, EventLoop& loop) {
  ctx.print(fixed(loop.time(), 3));
  if (loop.time() + 1.0 < end_time)
    loop.call_later(1, [&ctx, end_time, &loop] { display_date(ctx, end_time, loop); });
  else
    loop.stop();
}

void display_date_program(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  double end_time = loop.time() + ctx.param("seconds", 5.0);
  loop.call_soon([&ctx, end_time, &loop] { display_date(ctx, end_time, loop); });
  Finally close{[&] { loop.close(); }};
  loop.run_forever();
}

// ---- say-after-result (017) -------------------------------------------------

Task<int> say_after_result_main(DemoContext& ctx) {
  Task<void> task1 = create_task(say_after(ctx, 1, "hello"));
  Task<void> task2 = create_task(say_after(ctx, 2, "world"));
  ctx.print("started at " + fixed(get_running_loop().time(), 3));
  co_await task1;
  co_await task2;
  ctx.print("finished at " + fixed(get_running_loop().time(), 3));
  co_return 123;
}

void say_after_result(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  int a = loop.run_until_complete(say_after_result_main(ctx));
  ctx.print("main returned", a);
  loop.close();
}

// ---- run-until-complete (018) -----------------------------------------------

Task<void> foo(DemoContext& ctx) {
  ctx.print("这是一个协程");
  co_return;
}

void run_until_complete(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  Finally close{[&] {
    ctx.print("关闭事件循环");
    loop.close();
  }};
  ctx.print("开始运行协程");
  Task<void> coro = foo(ctx);
  ctx.print("进入事件循环");
  loop.run_until_complete(std::move(coro));
}

// ---- return-value (019) -----------------------------------------------------

Task<std::string> foo_returning(DemoContext& ctx) {
  ctx.print("这是一个协程");
  co_return "返回值";
}

void return_value(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  Finally close{[&] {
    ctx.print("关闭事件循环");
    loop.close();
  }};
  ctx.print("开始运行协程");
  Task<std::string> coro = foo_returning(ctx);
  ctx.print("进入事件循环");
  std::string result = loop.run_until_complete(std::move(coro));
  ctx.print("run_until_complete可以获取协程的" + result + "，默认输出None");
}

// ---- nested-result (020) ----------------------------------------------------

Task<std::string> result1(DemoContext& ctx) {
  ctx.print("这是result1协程");
  co_return "result1";
}

Task<std::string> result2(DemoContext& ctx, std::string arg) {
  ctx.print("这是result2协程");
  co_return "result2接收了一个参数," + arg;
}

Task<std::tuple<std::string, std::string>> nested_main(DemoContext& ctx) {
  ctx.print("主协程");
  ctx.print("等待result1协程运行");
  std::string res1 = co_await result1(ctx);
  ctx.print("等待result2协程运行");
  std::string res2 = co_await result2(ctx, res1);
  co_return std::tuple(res1, res2);
}

void nested_result(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  Finally close{[&] {
    ctx.print("关闭事件循环");
    loop.close();
  }};
  auto result = loop.run_until_complete(nested_main(ctx));
  ctx.print("获取返回值:" + py::str(result));
}

// ---- call-soon-partial (021) ------------------------------------------------

void partial_callback(DemoContext& ctx, int args, std::string kwargs = "defalut") {
  ctx.print("普通函数做为回调函数,获取参数:" + py::str(args) + "," + kwargs);
}

Task<void> call_soon_partial_main(DemoContext& ctx, EventLoop& loop) {
  ctx.print("注册callback");
  loop.call_soon([&ctx] { partial_callback(ctx, 1); });
  // functools.partial(callback, kwargs="not defalut")
  auto wrapped = [&ctx](int args) { partial_callback(ctx, args, "not defalut"); };
  loop.call_soon([wrapped] { wrapped(2); });
  co_await sleep(0.2);
}

void call_soon_partial(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  Finally close{[&] { loop.close(); }};
  loop.run_until_complete(call_soon_partial_main(ctx, loop));
}

// ---- call-later (022) -------------------------------------------------------

void numbered_callback(DemoContext& ctx, int n) { ctx.print("callback " + py::str(n) + " invoked"); }

Task<void> call_later_main(DemoContext& ctx, EventLoop& loop) {
  ctx.print("注册callbacks");
  loop.call_later(0.2, [&ctx] { numbered_callback(ctx, 1); });
  loop.call_later(0.1, [&ctx] { numbered_callback(ctx, 2); });
  loop.call_soon([&ctx] { numbered_callback(ctx, 3); });
  co_await sleep(0.4);
}

void call_later(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  Finally close{[&] { loop.close(); }};
  loop.run_until_complete(call_later_main(ctx, loop));
}

// ---- call-at (023) ----------------------------------------------------------

void call_back(DemoContext& ctx, int n, EventLoop& loop) {
  ctx.print("callback " + py::str(n) + " 运行时间点" + fixed(loop.time(), 3));
}

Task<void> call_at_main(DemoContext& ctx, EventLoop& loop) {
  double now = loop.time();
  ctx.print("当前的内部时间", fixed(now, 3));
  ctx.print("循环时间", fixed(now, 3));
  ctx.print("注册callback");
  loop.call_at(now + 0.1, [&ctx, &loop] { call_back(ctx, 1, loop); });
  loop.call_at(now + 0.2, [&ctx, &loop] { call_back(ctx, 2, loop); });
  loop.call_soon([&ctx, &loop] { call_back(ctx, 3, loop); });
  co_await sleep(1);
}

void call_at(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  Finally close{[&] {
    ctx.print("关闭循环");
    loop.close();
  }};
  ctx.print("进入事件循环");
  loop.run_until_complete(call_at_main(ctx, loop));
}

// ---- run-basic (025) --------------------------------------------------------

Task<void> func_inside(DemoContext& ctx) {
  ctx.print("协程内部代码");
  co_return;
}

void run_basic(DemoContext& ctx) {
  // Calling a coroutine function gives a coroutine object that has not started.
  Task<void> result = func_inside(ctx);
  bool iscoroutine = !result.is_task();
  bool iscoroutinefunction = std::is_same_v<std::invoke_result_t<decltype(&func_inside), DemoContext&>, Task<void>>;
  ctx.print("iscoroutine", iscoroutine, iscoroutinefunction);
  ctx.run(std::move(result));
  ctx.print("after run");
}

// ---- future-set-after (028) -------------------------------------------------

Task<void> set_after(Future<std::string> fut) {
  co_await sleep(2);
  fut.set_result("666");  // usually nobody does this by hand; it is for the demo
}

Task<void> future_set_after(DemoContext& ctx) {
  EventLoop& loop = get_running_loop();
  Future<std::string> fut = loop.create_future<std::string>();
  ctx.print("fut done?", fut.done());
  co_await loop.create_task(set_after(fut));
  ctx.print("fut done?", fut.done());
  // Wait for the Future's result; without one this would wait forever.
  std::string data = co_await fut;
  ctx.print(data);
}

// ---- await-others (030) -----------------------------------------------------

Task<std::string> others(DemoContext& ctx) {
  ctx.print("start");
  co_await sleep(2);
  ctx.print("end");
  co_return "返回值";
}

Task<void> await_others(DemoContext& ctx) {
  ctx.print("执行协程函数内部代码");
  std::string response1 = co_await others(ctx);
  ctx.print("IO请求结束，结果为：", response1);
  std::string response2 = co_await others(ctx);
  ctx.print("IO请求结束，结果为：", response2);
}

// ---- say-after-time (031) ---------------------------------------------------

Task<void> say_after_time_main(DemoContext& ctx) {
  ctx.print("开始时间为： " + fixed(get_running_loop().time(), 3));
  co_await say_after(ctx, 1, "hello");
  co_await say_after(ctx, 2, "world");
  ctx.print("结束时间为： " + fixed(get_running_loop().time(), 3));
}

void say_after_time(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  loop.run_until_complete(say_after_time_main(ctx));
  loop.close();
}

// ---- loop-time (032) --------------------------------------------------------

Task<int> add_later(DemoContext& ctx, int a, int b) {
  ctx.print("准备做加法运算");
  co_await sleep(3);
  co_return a + b;
}

void loop_time(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  double t1 = loop.time();  // start
  ctx.print(fixed(t1, 3));
  int r = loop.run_until_complete(add_later(ctx, 3, 4));
  double t2 = loop.time();  // end
  ctx.print(fixed(t2, 3));
  ctx.print(fixed(t2 - t1, 3));  // elapsed
  ctx.print(r);
  loop.close();
}

// ---- do-some-work (033) -----------------------------------------------------

Task<void> do_some_work(DemoContext& ctx) {
  ctx.print("Start coroutine");
  ctx.print("This is a coroutine");
  co_return;
}

void do_some_work_program(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  double start = loop.time();
  Task<void> coroutine = do_some_work(ctx);
  loop.run_until_complete(std::move(coroutine));
  double end = loop.time();
  ctx.print("运行耗时：" + fixed(end - start, 4));
  loop.close();
}

// ---- task-state (034) -------------------------------------------------------

void task_state(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  double start = loop.time();
  Task<void> coroutine = do_some_work(ctx);
  Task<void> task = loop.create_task(std::move(coroutine));
  ctx.print("task 是不是 asyncio.Task 的实例?", task.is_task());
  ctx.print("Task state:", state(task));
  loop.run_until_complete(task);
  ctx.print("Task state:", state(task));
  double end = loop.time();
  ctx.print("运行耗时：" + fixed(end - start, 4));
  loop.close();
}

// ---- task-result (035) ------------------------------------------------------

Task<int> hello1(DemoContext& ctx, int a, int b) {
  ctx.print("Hello world 01 begin");
  co_await sleep(3);  // a task that takes 3 seconds
  ctx.print("Hello again 01 end");
  co_return a + b;
}

void task_result(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();  // step 1: make an event loop
  Task<int> coroutine = hello1(ctx, 10, 5);
  Task<int> task = loop.create_task(std::move(coroutine));  // step 2: wrap the coroutine in a task
  loop.run_until_complete(task);                            // step 3: run it on the loop
  ctx.print("-------------------------------------");
  ctx.print(task.result());
  loop.close();
}

// ---- callback-partial (036) -------------------------------------------------

Task<void> corowork(DemoContext& ctx) {
  ctx.print("[corowork] Start coroutine");
  ctx.print("[corowork] This is a coroutine");
  co_return;
}

void callback_partial(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  double start = loop.time();
  auto callback = [&ctx](const std::string& name, Task<void>& task) {
    ctx.print("[callback] Hello " + name);
    ctx.print(std::string("[callback] coroutine state: ") + state(task));
  };
  Task<void> task = loop.create_task(corowork(ctx));
  // functools.partial(callback, 'Shiyanlou')
  task.add_done_callback([callback](Task<void>& t) { callback("Shiyanlou", t); });
  loop.run_until_complete(task);
  double end = loop.time();
  ctx.print("运行耗时：" + fixed(end - start, 4));
  loop.close();
}

// ---- async-iterator (037) ---------------------------------------------------

// An asynchronous iterator. C++ has no `async for`: Python's __aiter__ and
// __anext__ become an AsyncGenerator, whose next() gives nullopt where
// __anext__ raises StopAsyncIteration.
class Reader {
 public:
  explicit Reader(int limit) : limit_(limit) {}
  Task<std::optional<int>> readline() {
    // co_await sleep(1);
    ++count_;
    if (count_ == limit_) co_return std::nullopt;
    co_return count_;
  }
  AsyncGenerator<int> aiter() {
    while (std::optional<int> val = co_await readline()) co_yield *val;
  }

 private:
  int count_ = 0;
  int limit_;
};

Task<void> async_iterator(DemoContext& ctx) {
  // Make the asynchronous iterable.
  Reader async_iter(ctx.param("limit", 100));
  // async for item in async_iter:
  AsyncGenerator<int> items = async_iter.aiter();
  while (std::optional<int> item = co_await items.next()) ctx.print(*item);
}

// ---- async-context-manager (038) --------------------------------------------

// An asynchronous context manager. C++ has no `async with`: the demo calls
// aenter() and aexit() itself, passing aexit the exception that left the block.
class AsyncContextManager {
 public:
  Task<int> do_something() { co_return 666; }  // an asynchronous database call
  Task<void> aenter(DemoContext& ctx) {
    co_await sleep(1);  // connect
    ctx.print("aenter done");
  }
  Task<void> aexit(DemoContext& ctx, std::exception_ptr exc) {
    co_await sleep(1);  // disconnect
    if (exc)
      ctx.print("aexit done", exception_type_name(exc));
    else
      ctx.print("aexit done", nullptr);
  }
};

Task<void> async_context_manager(DemoContext& ctx) {
  AsyncContextManager f;
  co_await f.aenter(ctx);
  std::exception_ptr exc;
  try {
    int result = co_await f.do_something();
    ctx.print(result);
  } catch (...) {
    exc = std::current_exception();
  }
  co_await f.aexit(ctx, exc);
  if (exc) std::rethrow_exception(exc);
  ctx.print("after async with");
}

// ---- many-tasks (no scenario) ------------------------------------------------

// A 64-bit linear congruential generator (Knuth's MMIX constants): the same
// delays on every platform, for a given seed.
class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : state_(seed) {}
  /// A number in [0, 1).
  double uniform() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) / 9007199254740992.0;  // top 53 bits / 2^53
  }

 private:
  std::uint64_t state_;
};

Task<void> sleeper(double delay, long long& finished) {
  co_await sleep(delay);
  ++finished;
}

Task<void> many_tasks(DemoContext& ctx) {
  long long n = ctx.param("n", 100000LL);
  double max_delay = ctx.param("max_delay", 10.0);
  Lcg random(static_cast<std::uint64_t>(ctx.param("seed", 1LL)));
  EventLoop& loop = get_running_loop();
  double start = loop.time();
  long long finished = 0;
  std::vector<Task<void>> tasks;
  tasks.reserve(static_cast<std::size_t>(n > 0 ? n : 0));
  for (long long i = 0; i < n; ++i) {
    // Whole milliseconds, so that many timers share a deadline.
    double delay = static_cast<double>(static_cast<long long>(random.uniform() * max_delay * 1000)) / 1000;
    tasks.push_back(create_task(sleeper(delay, finished)));
    // A coroutine that never awaits keeps the loop to itself: hand it back
    // now and then, so that a page running this demo stays responsive.
    if (i % 100 == 99) co_await sleep(0);
  }
  // Virtual time jumps from one deadline to the next: no real waiting.
  for (Task<void>& task : tasks) co_await task;
  ctx.print(finished, "tasks finished after", fixed(loop.time() - start, 3), "s of virtual time");
}

Demo make(std::string name, std::string scenario, std::string title, std::string summary) {
  Demo d;
  d.name = std::move(name);
  d.group = "basics";
  d.scenario = std::move(scenario);
  d.title = std::move(title);
  d.summary = std::move(summary);
  return d;
}

Demo with_main(Demo d, Task<void> (*main)(DemoContext&)) {
  d.main = main;
  return d;
}
Demo with_program(Demo d, void (*program)(DemoContext&)) {
  d.program = program;
  return d;
}

}  // namespace

void add_basics_demos(std::vector<Demo>& out) {
  out.push_back(with_program(
      make("create-task-state", "001_seed_create_task_state", "A task is PENDING until the loop runs it",
           "loop.create_task() schedules a coroutine; its state is PENDING before run_until_complete() and "
           "FINISHED after."),
      create_task_state));
  out.push_back(with_program(
      make("done-callback", "004_seed_done_callback", "add_done_callback gets the finished task",
           "A done callback is scheduled with call_soon once the task finishes and reads its result."),
      done_callback));
  {
    Demo d = with_main(make("say-after", "009_seed_say_after", "Two tasks sleeping concurrently",
                            "create_task() starts say_after(1, 'hello') and say_after(2, 'world') at once: "
                            "the program takes 2 seconds, not 3."),
                       say_after_main);
    d.params = {{"first", ParamKind::number, "1.0", "seconds before 'hello'"},
                {"second", ParamKind::number, "2.0", "seconds before 'world'"}};
    out.push_back(std::move(d));
  }
  out.push_back(with_program(
      make("call-soon-stop", "010_seed_call_soon_stop", "A call_soon callback stops run_forever",
           "run_forever() returns after the iteration in which a callback calls loop.stop()."),
      call_soon_stop));
  {
    Demo d = with_program(make("display-date", "011_seed_display_date", "A callback re-arming itself with call_later",
                               "display_date prints the loop time every second until the end time, then stops "
                               "the loop."),
                          display_date_program);
    d.params = {{"seconds", ParamKind::number, "5.0", "how long to keep printing"}};
    out.push_back(std::move(d));
  }
  out.push_back(with_program(
      make("say-after-result", "017_seed_say_after_generator", "run_until_complete returns main's result",
           "The say-after program driven by loop.run_until_complete(), which returns what main returns."),
      say_after_result));
  out.push_back(with_program(
      make("run-until-complete", "018_seed_run_until_complete", "A coroutine runs only inside the loop",
           "Calling a coroutine function runs nothing; run_until_complete() runs it."),
      run_until_complete));
  out.push_back(with_program(make("return-value", "019_seed_return_value", "Getting a coroutine's return value",
                                  "run_until_complete() gives back the coroutine's return value."),
                             return_value));
  out.push_back(with_program(
      make("nested-result", "020_seed_nested_result", "Awaiting coroutines inside a coroutine",
           "main awaits result1() and passes its result to result2(), inline, without new tasks."),
      nested_result));
  out.push_back(with_program(make("call-soon-partial", "021_seed_call_soon_partial",
                                  "Plain functions as call_soon callbacks",
                                  "call_soon runs callbacks in order on the next iteration; functools.partial "
                                  "binds keyword arguments."),
                             call_soon_partial));
  out.push_back(with_program(make("call-later", "022_seed_call_later", "call_later callbacks run by deadline",
                                  "Callbacks scheduled for 0.2 s, 0.1 s and 'soon' run soonest first."),
                             call_later));
  out.push_back(with_program(make("call-at", "023_seed_call_at", "call_at with absolute loop times",
                                  "call_at(now + 0.1) and call_at(now + 0.2) run at those loop times."),
                             call_at));
  out.push_back(with_program(make("run-basic", "025_seed_asyncio_run_basic", "asyncio.run() in its simplest form",
                                  "A coroutine object does nothing until asyncio.run() (aio::run) runs it."),
                             run_basic));
  out.push_back(with_main(make("future-set-after", "028_seed_future_set_after", "Awaiting a Future set by a task",
                               "A task sets a Future's result after 2 seconds; awaiting the Future returns it."),
                          future_set_after));
  out.push_back(with_main(make("await-others", "030_seed_await_others", "Awaiting a coroutine twice in sequence",
                               "Each await of others() runs it to completion before the next line."),
                          await_others));
  out.push_back(with_program(make("say-after-time", "031_seed_say_after_time", "Awaiting coroutines runs them one by one",
                                  "Awaiting say_after directly (not as tasks) takes 1 + 2 = 3 seconds."),
                             say_after_time));
  out.push_back(with_program(make("loop-time", "032_seed_loop_time", "Measuring with loop.time()",
                                  "loop.time() before and after run_until_complete() of a 3 second coroutine."),
                             loop_time));
  out.push_back(with_program(make("do-some-work", "033_seed_do_some_work", "The smallest run_until_complete program",
                                  "A coroutine with no await finishes within the first iteration."),
                             do_some_work_program));
  out.push_back(with_program(make("task-state", "034_seed_task_state", "A task's state before and after running",
                                  "loop.create_task() returns a Task, PENDING until the loop has run it."),
                             task_state));
  out.push_back(with_program(make("task-result", "035_seed_task_result", "Reading a finished task's result",
                                  "task.result() after run_until_complete(task)."),
                             task_result));
  out.push_back(with_program(make("callback-partial", "036_seed_callback_partial",
                                  "A done callback with an extra bound argument",
                                  "functools.partial(callback, 'Shiyanlou') as a task's done callback."),
                             callback_partial));
  {
    Demo d = with_main(make("async-iterator", "037_seed_async_iterator", "An asynchronous iterator",
                            "Reader.aiter() is an async generator: each next() awaits readline() and yields "
                            "its value, until readline() returns None (async for)."),
                       async_iterator);
    d.params = {{"limit", ParamKind::integer, "100", "the count at which readline() returns None"}};
    out.push_back(std::move(d));
  }
  out.push_back(with_main(make("async-context-manager", "038_seed_async_context_manager",
                               "An asynchronous context manager",
                               "aenter() and aexit() each await a sleep around the body (async with)."),
                          async_context_manager));
  {
    Demo d = with_main(make("many-tasks", "", "Many tasks sleeping on the virtual clock",
                            "Creates n tasks that each sleep a pseudo-random whole number of milliseconds, waits "
                            "for all of them and prints how many finished and how much loop time passed. On the "
                            "virtual clock the loop jumps from deadline to deadline, so this takes no real time "
                            "beyond the work of scheduling. Every 100 tasks it yields (sleep(0)): a coroutine "
                            "that never awaits would keep the loop, and the page running it, to itself."),
                       many_tasks);
    d.params = {{"n", ParamKind::integer, "100000", "how many tasks"},
                {"max_delay", ParamKind::number, "10.0", "the longest sleep, in seconds"},
                {"seed", ParamKind::integer, "1", "seed of the pseudo-random delays"}};
    out.push_back(std::move(d));
  }
}

}  // namespace aio::demos
