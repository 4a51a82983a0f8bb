// The "combinators" demos: waiting for several tasks at once with wait(),
// gather(), as_completed() and TaskGroup, ported from the asyncio tutorials
// (/work/shared/seeds). Each function keeps the shape of its Python twin in
// tests/conformance/py/scenarios/ so the two can be read side by side.
//
// asyncio.wait returns two sets; aio::wait returns two vectors in input
// order, so "task in done" is a std::find and the tutorials' set iteration
// (hash order) becomes list order, as the scenarios already do.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "aio/as_completed.hpp"
#include "aio/gather.hpp"
#include "aio/sleep.hpp"
#include "aio/task_group.hpp"
#include "aio/wait.hpp"
#include "support.hpp"

namespace aio::demos {
namespace {

using py::fixed;
using support::make_demo;
using support::with_main;
using support::with_program;

template <class F>
bool contains(const std::vector<F>& set, const F& f) {
  return std::find(set.begin(), set.end(), f) != set.end();
}

// ---- wait-foo (002) ---------------------------------------------------------

Task<void> foo(DemoContext& ctx, double delay) {
  ctx.print("foo running ....");
  co_await sleep(delay);
  ctx.print("foo done . . . ");
}

Task<void> wait_foo_main(DemoContext& ctx) {
  double delay = ctx.param("delay", 1.0);
  std::vector<Task<void>> tasks{ensure_future(foo(ctx, delay)), ensure_future(foo(ctx, delay))};
  co_await wait(tasks);
}

void wait_foo(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  loop.run_until_complete(wait_foo_main(ctx));  // register the coroutine with the loop
  loop.close();
}

// ---- wait-no-sleep (003) ----------------------------------------------------

Task<void> a_sleeps(DemoContext& ctx) {
  ctx.print("aaa begin");
  co_await sleep(ctx.param("delay", 0.5));
  ctx.print("aaa end ");
}

Task<void> b_sleeps(DemoContext& ctx) {
  ctx.print("bbb begin");
  co_await sleep(ctx.param("delay", 0.5));
  ctx.print("bbb end ");
}

Task<void> c_does_not_sleep(DemoContext& ctx) {
  ctx.print("ccc begin");
  // co_await sleep(0.5);
  ctx.print("ccc end");
  co_return;
}

Task<void> wait_no_sleep_main(DemoContext& ctx) {
  std::vector<Task<void>> task_list{ensure_future(a_sleeps(ctx)), ensure_future(b_sleeps(ctx)),
                                    ensure_future(c_does_not_sleep(ctx))};
  co_await wait(task_list);
}

void wait_no_sleep(DemoContext& ctx) {
  double start = 0.0;
  EventLoop& event_lopp = ctx.new_loop();
  event_lopp.run_until_complete(wait_no_sleep_main(ctx));
  ctx.print("elapsed", fixed(event_lopp.time() - start, 3));
  event_lopp.close();
}

// ---- wait-vs-gather (005) ---------------------------------------------------

Task<std::string> a(DemoContext& ctx) {
  ctx.print("aaa begin");
  co_await sleep(ctx.param("delay", 0.5));
  ctx.print("aaa end ");
  co_return "a";
}

Task<std::string> b(DemoContext& ctx) {
  ctx.print("bbb begin");
  co_await sleep(ctx.param("delay", 0.5));
  ctx.print("bbb end ");
  co_return "b";
}

Task<std::string> c(DemoContext& ctx) {
  ctx.print("ccc begin");
  co_await sleep(ctx.param("delay", 0.5));
  ctx.print("ccc end");
  co_return "c";
}

Task<void> wait_vs_gather_main(DemoContext& ctx) {
  std::vector<Task<std::string>> task_list{ensure_future(a(ctx)), ensure_future(b(ctx)), ensure_future(c(ctx))};
  auto [dones, pendings] = co_await wait(task_list);
  ctx.print("wait done", dones.size(), "pending", pendings.size());
  std::vector<std::string> results;
  for (auto& t : task_list) results.push_back(t.result());
  ctx.print("wait results", results);
  auto [ra, rb, rc] = co_await gather(a(ctx), b(ctx), c(ctx));
  ctx.print("gather results", std::vector<std::string>{ra, rb, rc});
}

void wait_vs_gather(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  loop.run_until_complete(wait_vs_gather_main(ctx));
  ctx.print(fixed(loop.time() - 0.0, 3));
  loop.close();
}

// ---- gather-results (006) ---------------------------------------------------

// Python's do(), a C++ keyword.
Task<std::string> do_it(DemoContext& ctx) {
  ctx.print(" let's do it ! ");
  co_await sleep(ctx.param("delay", 0.5));  // simulated blocking IO inside the coroutine
  ctx.print("done....");
  co_return "hello";
}

Task<void> gather_results(DemoContext& ctx) {
  co_await sleep(ctx.param("delay", 0.5));
  std::vector<Task<std::string>> task_list;
  for (int i = 0; i < ctx.param("tasks", 3); ++i) task_list.push_back(ensure_future(do_it(ctx)));
  std::vector<std::string> result = co_await gather(task_list);
  ctx.print(result);
  for (const std::string& res : result) ctx.print("result : ", res);
}

// ---- nested-wait (007) ------------------------------------------------------

Task<void> nested_wait_main(DemoContext& ctx) {
  co_await sleep(ctx.param("delay", 0.5));
  std::vector<Task<std::string>> task_list{ensure_future(do_it(ctx)), ensure_future(do_it(ctx)),
                                           ensure_future(do_it(ctx))};
  auto [dones, pendings] = co_await wait(task_list);
  for (auto& task : task_list)
    if (contains(dones, task)) ctx.print("result : ", task.result());
}

Task<void> nested_wait_outer(DemoContext& ctx) {
  std::vector<Task<void>> mains{ensure_future(nested_wait_main(ctx)), ensure_future(nested_wait_main(ctx))};
  co_await wait(mains);
}

void nested_wait(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  double start = loop.time();
  loop.run_until_complete(nested_wait_outer(ctx));
  loop.close();
  ctx.print("total cost time: ", fixed(loop.time() - start, 3));  // 1.0
}

// ---- as-completed (008) -----------------------------------------------------

Task<void> as_completed_main(DemoContext& ctx) {
  co_await sleep(ctx.param("delay", 0.5));
  std::vector<Task<std::string>> task_list{ensure_future(do_it(ctx)), ensure_future(do_it(ctx)),
                                           ensure_future(do_it(ctx))};
  for (auto task : as_completed(task_list)) {
    std::string res = co_await task;
    ctx.print(res);
  }
}

Task<void> as_completed_outer(DemoContext& ctx) {
  std::vector<Task<void>> mains{ensure_future(as_completed_main(ctx))};
  co_await wait(mains);
}

void as_completed_program(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  double start = loop.time();
  loop.run_until_complete(as_completed_outer(ctx));
  loop.close();
  ctx.print("total cost time: ", fixed(loop.time() - start, 3));
}

// ---- factorial-gather (013) -------------------------------------------------

Task<long long> factorial(DemoContext& ctx, std::string name, int number) {
  long long f = 1;
  for (int i = 2; i <= number; ++i) {
    ctx.print("Task " + name + ": Compute factorial(" + py::str(i) + ")...");
    co_await sleep(1);
    f *= i;
  }
  ctx.print("Task " + name + ": factorial(" + py::str(number) + ") = " + py::str(f));
  co_return f;
}

Task<void> factorial_gather(DemoContext& ctx) {
  // Schedule three calls *concurrently*:
  auto [ra, rb, rc] = co_await gather(factorial(ctx, "A", ctx.param("a", 2)), factorial(ctx, "B", ctx.param("b", 3)),
                                      factorial(ctx, "C", ctx.param("c", 4)));
  ctx.print(std::vector<long long>{ra, rb, rc});
}

// ---- wait-single-task (016) -------------------------------------------------

Task<int> foo42() { co_return 42; }

Task<void> wait_single_task(DemoContext& ctx) {
  Task<int> task = create_task(foo42());
  std::vector<Task<int>> tasks{task};
  auto [done, pending] = co_await wait(tasks);
  if (contains(done, task)) {
    // do something
    ctx.print("task in done", task.result(), "pending", pending.size());
  }
}

// ---- wait-func1-func2 (024) -------------------------------------------------

Task<void> func1(DemoContext& ctx) {
  ctx.print(1);
  co_await sleep(ctx.param("delay", 2.0));  // IO: switch to the other tasks meanwhile
  ctx.print(2);
}

Task<void> func2(DemoContext& ctx) {
  ctx.print(3);
  co_await sleep(ctx.param("delay", 2.0));  // IO: switch to the other tasks meanwhile
  ctx.print(4);
}

void wait_func1_func2(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  // asyncio.ensure_future() outside a running loop uses the current loop;
  // aio has no implicit current loop, so name it.
  std::vector<Task<void>> tasks{loop.create_task(func1(ctx)), loop.create_task(func2(ctx))};
  loop.run_until_complete(wait(tasks));
  loop.close();
}

// ---- wait-named-tasks (026) -------------------------------------------------

Task<std::string> func_returning(DemoContext& ctx) {
  ctx.print(1);
  co_await sleep(ctx.param("delay", 2.0));
  ctx.print(2);
  co_return "返回值";
}

template <class T>
std::vector<std::string> sorted_names(const std::vector<Task<T>>& tasks) {
  std::vector<std::string> names;
  for (const auto& t : tasks) names.push_back(t.get_name());
  std::sort(names.begin(), names.end());
  return names;
}

Task<void> wait_named_tasks(DemoContext& ctx) {
  ctx.print("main开始");
  std::vector<Task<std::string>> task_list{create_task(func_returning(ctx), "n1"),
                                           create_task(func_returning(ctx), "n2")};
  ctx.print("main结束");
  auto [done, pending] = co_await wait(task_list, {.timeout = std::nullopt});
  ctx.print(sorted_names(done), sorted_names(pending));
  for (auto& t : task_list) ctx.print(t.get_name(), t.result());
}

// ---- wait-return-sets (027) -------------------------------------------------

Task<void> func_io(DemoContext& ctx) {
  ctx.print("执行协程函数内部代码");
  // IO suspends this coroutine (task) until the IO is done.
  co_await sleep(ctx.param("delay", 2.0));
  std::nullptr_t response = nullptr;  // what asyncio.sleep returns: None
  ctx.print("IO请求结束，结果为：", response);
}

Task<WaitResult<Task<void>>> wait_return_sets_main(DemoContext& ctx) {
  std::vector<Task<void>> coroutine_list{create_task(func_io(ctx)), create_task(func_io(ctx))};
  co_return co_await wait(coroutine_list);
}

void wait_return_sets(DemoContext& ctx) {
  auto [done, pending] = ctx.run(wait_return_sets_main(ctx));
  ctx.print(done.size(), pending.size());
}

// ---- gather-corowork (039) --------------------------------------------------

Task<std::string> corowork(DemoContext& ctx, std::string name, double t) {
  ctx.print("[corowork] Start coroutine", name);
  co_await sleep(t);  // 1
  ctx.print("[corowork] Stop coroutine", name);
  co_return "Coroutine " + name + " OK";  // 2
}

void gather_corowork(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  double start = loop.time();
  Task<std::string> coroutine1 = corowork(ctx, "ONE", ctx.param("one", 3.0));  // 3
  Task<std::string> coroutine2 = corowork(ctx, "TWO", ctx.param("two", 1.0));  // 3
  Task<std::string> task1 = loop.create_task(std::move(coroutine1));          // 4
  Task<std::string> task2 = loop.create_task(std::move(coroutine2));          // 4
  auto gathering = gather(task1, task2);                                      // 5
  auto [r1, r2] = loop.run_until_complete(gathering);                         // 6
  ctx.print("[task1] ", task1.result());                                      // 7
  ctx.print("[task2] ", task2.result());                                      // 7
  ctx.print(std::vector<std::string>{r1, r2});
  double end = loop.time();
  ctx.print("运行耗时：" + fixed(end - start, 4));
  loop.close();
}

// ---- gather-hello / wait-hello / gather-return (040, 041, 042) -------------

Task<int> hello1(DemoContext& ctx, int a, int b) {
  ctx.print("Hello world 01 begin");
  co_await sleep(ctx.param("delay1", 3.0));  // a task that takes 3 seconds
  ctx.print("Hello again 01 end");
  co_return a + b;
}

Task<int> hello2(DemoContext& ctx, int a, int b) {
  ctx.print("Hello world 02 begin");
  co_await sleep(ctx.param("delay2", 2.0));  // a task that takes 2 seconds
  ctx.print("Hello again 02 end");
  co_return a - b;
}

Task<int> hello3(DemoContext& ctx, int a, int b) {
  ctx.print("Hello world 03 begin");
  co_await sleep(ctx.param("delay3", 4.0));  // a task that takes 4 seconds
  ctx.print("Hello again 03 end");
  co_return a * b;
}

Task<void> gather_hello_main(DemoContext& ctx) {  // the entry point of the tasks
  Task<int> task1 = ensure_future(hello1(ctx, 10, 5));
  Task<int> task2 = ensure_future(hello2(ctx, 10, 5));
  Task<int> task3 = ensure_future(hello3(ctx, 10, 5));
  auto [r1, r2, r3] = co_await gather(task1, task2, task3);
  for (int result : {r1, r2, r3}) ctx.print(result);  // in argument order
}

void gather_hello(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  loop.run_until_complete(gather_hello_main(ctx));
  loop.close();
}

Task<void> wait_hello_main(DemoContext& ctx) {
  Task<int> task1 = ensure_future(hello1(ctx, 10, 5));
  Task<int> task2 = ensure_future(hello2(ctx, 10, 5));
  Task<int> task3 = ensure_future(hello3(ctx, 10, 5));
  std::vector<Task<int>> tasks{task1, task2, task3};
  auto [done, pending] = co_await wait(tasks);
  for (auto& done_task : tasks)
    if (contains(done, done_task)) ctx.print(done_task.result());
}

void wait_hello(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  loop.run_until_complete(wait_hello_main(ctx));
  loop.close();
}

Task<std::tuple<int, int, int>> gather_return_main(DemoContext& ctx) {
  Task<int> task1 = ensure_future(hello1(ctx, 10, 5));
  Task<int> task2 = ensure_future(hello2(ctx, 10, 5));
  Task<int> task3 = ensure_future(hello3(ctx, 10, 5));
  co_return co_await gather(task1, task2, task3);  // return the results, read them later
}

void gather_return(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  auto [r1, r2, r3] = loop.run_until_complete(gather_return_main(ctx));  // read the results here
  for (int result : {r1, r2, r3}) ctx.print(result);
  loop.close();
}

// ---- wait-return (043) ------------------------------------------------------

template <class Op>
Task<int> hello(DemoContext& ctx, int n, int a, int b, double delay, Op op) {
  ctx.print("Hello world 0" + py::str(n) + " begin");
  co_await sleep(delay);
  ctx.print("Hello again 0" + py::str(n) + " end");
  co_return op(a, b);
}

Task<WaitResult<Task<int>>> wait_return_main(DemoContext& ctx, std::vector<Task<int>>& tasks) {
  tasks.push_back(ensure_future(hello(ctx, 1, 10, 5, ctx.param("delay1", 3.0), [](int a, int b) { return a + b; })));
  tasks.push_back(ensure_future(hello(ctx, 2, 10, 5, ctx.param("delay2", 2.0), [](int a, int b) { return a - b; })));
  tasks.push_back(ensure_future(hello(ctx, 3, 10, 5, ctx.param("delay3", 4.0), [](int a, int b) { return a * b; })));
  co_return co_await wait(tasks);  // return without reading the results
}

void wait_return(DemoContext& ctx) {
  std::vector<Task<int>> tasks;
  EventLoop& loop = ctx.new_loop();
  auto [done, pending] = loop.run_until_complete(wait_return_main(ctx, tasks));
  for (auto& done_task : tasks)
    if (contains(done, done_task)) ctx.print(done_task.result());
  ctx.print("pending", pending.size());
  loop.close();
}

// ---- same-thread (045) ------------------------------------------------------

Task<void> hello_thread(DemoContext& ctx, int n, double delay) {
  ctx.print("Hello world 0" + py::str(n) + " begin,my thread is:" + support::thread_name());
  co_await sleep(delay);
  ctx.print("Hello again 0" + py::str(n) + " end");
}

void same_thread(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  std::vector<Task<void>> tasks{loop.create_task(hello_thread(ctx, 1, ctx.param("delay1", 3.0))),
                                loop.create_task(hello_thread(ctx, 2, ctx.param("delay2", 2.0))),
                                loop.create_task(hello_thread(ctx, 3, ctx.param("delay3", 1.0)))};
  loop.run_until_complete(wait(tasks));
  loop.close();
  ctx.print("---------------------------------------");
  ctx.print(fixed(loop.time(), 3));
}

// ---- sequential-await (046) -------------------------------------------------

Task<void> hello3_awaits_others(DemoContext& ctx) {
  ctx.print("Hello world 03 begin,my thread is:" + support::thread_name());
  co_await hello_thread(ctx, 2, ctx.param("delay2", 2.0));
  co_await hello_thread(ctx, 1, ctx.param("delay1", 3.0));
  ctx.print("Hello again 03 end");
}

void sequential_await(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  std::vector<Task<void>> tasks{loop.create_task(hello3_awaits_others(ctx))};
  loop.run_until_complete(wait(tasks));
  loop.close();
  ctx.print("---------------------------------------");
  ctx.print(fixed(loop.time(), 3));
}

// ---- await-blocks (047) -----------------------------------------------------

Task<int> slow_add(DemoContext& ctx, int a, int b) {
  ctx.print("异步函数开始执行");
  co_await sleep(ctx.param("delay", 3.0));
  ctx.print("异步函数执行结束");
  co_return a + b;
}

Task<void> await_blocks_main(DemoContext& ctx) {
  int c = co_await slow_add(ctx, 10, 20);
  ctx.print(c);
  ctx.print("主函数执行");
}

void await_blocks(DemoContext& ctx) {
  EventLoop& loop = ctx.new_loop();
  std::vector<Task<void>> tasks{loop.create_task(await_blocks_main(ctx))};
  loop.run_until_complete(wait(tasks));
  loop.close();
}

// ---- task-group (053) -------------------------------------------------------

Task<std::string> say_after(DemoContext& ctx, double delay, std::string what) {
  co_await sleep(delay);
  ctx.print(what);
  co_return what;
}

Task<void> task_group_main(DemoContext& ctx) {
  Task<std::string> task1, task2;
  // async with asyncio.TaskGroup() as tg:
  TaskGroup tg;
  co_await tg.run([&]() -> Task<void> {
    task1 = tg.create_task(say_after(ctx, ctx.param("first", 1.0), "hello"));
    task2 = tg.create_task(say_after(ctx, ctx.param("second", 2.0), "world"));
    ctx.print("started");
    co_return;
  });
  ctx.print("finished", task1.result(), task2.result());
}

Param delay_param(std::string default_value, std::string help) {
  return {"delay", ParamKind::number, std::move(default_value), std::move(help)};
}

}  // namespace

void add_combinators_demos(std::vector<Demo>& out) {
  auto make = [](std::string name, std::string scenario, std::string title, std::string summary) {
    return make_demo(std::move(name), "combinators", std::move(scenario), std::move(title), std::move(summary));
  };
  {
    Demo d = with_program(make("wait-foo", "002_seed_coroutine_foo_wait", "asyncio.wait on two tasks",
                               "Two foo() tasks start in the same loop iteration and sleep side by side, so "
                               "wait() returns after one delay, not two."),
                          wait_foo);
    d.params = {delay_param("1.0", "how long each foo() sleeps")};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("wait-no-sleep", "003_seed_wait_abc_nosleep", "A coroutine that never awaits",
                               "c() has no await, so it runs from begin to end in its first step while a() and "
                               "b() are suspended in their sleeps."),
                          wait_no_sleep);
    d.params = {delay_param("0.5", "how long a() and b() sleep")};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("wait-vs-gather", "005_seed_wait_vs_gather", "wait() and gather() side by side",
                               "wait() gives back the done and pending tasks and you read each result; gather() "
                               "wraps coroutines in tasks itself and returns their results in order."),
                          wait_vs_gather);
    d.params = {delay_param("0.5", "how long a(), b() and c() sleep")};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_main(make("gather-results", "006_seed_gather_results", "gather() returns a list of results",
                            "Three tasks sleep concurrently; gather() returns their results as one list, in the "
                            "order the tasks were passed."),
                       gather_results);
    d.params = {delay_param("0.5", "the sleep before starting and in each task"),
                {"tasks", ParamKind::integer, "3", "how many tasks to gather"}};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("nested-wait", "007_seed_nested_wait", "wait() inside tasks under wait()",
                               "Two main() tasks each wait for three do() tasks: all six sleep together, so the "
                               "whole program takes two delays."),
                          nested_wait);
    d.params = {delay_param("0.5", "the sleep in main() and in each do()")};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("as-completed", "008_seed_as_completed", "as_completed() yields results as they come",
                               "Each item of as_completed() is an awaitable giving the next result to finish, "
                               "whichever task it comes from."),
                          as_completed_program);
    d.params = {delay_param("0.5", "the sleep in main() and in each do()")};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_main(make("factorial-gather", "013_seed_factorial_gather", "gather() runs coroutines concurrently",
                            "Three factorial computations, one sleep per step, interleave second by second; "
                            "gather() returns their results in argument order."),
                       factorial_gather);
    d.params = {{"a", ParamKind::integer, "2", "the number task A computes the factorial of"},
                {"b", ParamKind::integer, "3", "the number task B computes the factorial of"},
                {"c", ParamKind::integer, "4", "the number task C computes the factorial of"}};
    out.push_back(std::move(d));
  }
  out.push_back(with_main(make("wait-single-task", "016_seed_wait_foo42", "wait() on a single task",
                               "A task that returns at once is in wait()'s done set after one trip through the "
                               "loop."),
                          wait_single_task));
  {
    Demo d = with_program(make("wait-func1-func2", "024_seed_func1_func2", "Switching tasks at each await",
                               "func1 and func2 each print, sleep and print: while one sleeps the loop runs the "
                               "other, so the output is 1 3 2 4."),
                          wait_func1_func2);
    d.params = {delay_param("2.0", "how long each function sleeps")};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_main(make("wait-named-tasks", "026_seed_task_names_wait", "Named tasks under wait()",
                            "create_task(coro, name) names a task; wait() with no timeout returns them all "
                            "done."),
                       wait_named_tasks);
    d.params = {delay_param("2.0", "how long each task sleeps")};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("wait-return-sets", "027_seed_wait_coroutine_list", "Returning wait()'s result",
                               "main returns what wait() gives back; asyncio.run returns it to the caller, after "
                               "the loop is closed."),
                          wait_return_sets);
    d.params = {delay_param("2.0", "how long each task sleeps")};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("gather-corowork", "039_seed_gather_corowork", "gather() of tasks made beforehand",
                               "loop.create_task() schedules two coroutines; run_until_complete(gather(...)) "
                               "returns their results in order, though TWO finishes first."),
                          gather_corowork);
    d.params = {{"one", ParamKind::number, "3.0", "how long ONE sleeps"},
                {"two", ParamKind::number, "1.0", "how long TWO sleeps"}};
    out.push_back(std::move(d));
  }
  auto hello_params = [](const char* d1, const char* d2, const char* d3) {
    return std::vector<Param>{{"delay1", ParamKind::number, d1, "how long hello1 sleeps"},
                              {"delay2", ParamKind::number, d2, "how long hello2 sleeps"},
                              {"delay3", ParamKind::number, d3, "how long hello3 sleeps"}};
  };
  {
    Demo d = with_program(make("gather-hello", "040_seed_gather_hello123", "gather() keeps argument order",
                               "Three tasks finish after 2, 3 and 4 seconds; gather()'s results still come in "
                               "the order the tasks were given."),
                          gather_hello);
    d.params = hello_params("3.0", "2.0", "4.0");
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("wait-hello", "041_seed_wait_hello123", "Reading results after wait()",
                               "wait() returns when all three tasks are done; each result is read from its "
                               "task."),
                          wait_hello);
    d.params = hello_params("3.0", "2.0", "4.0");
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("gather-return", "042_seed_gather_return", "Returning gather()'s results",
                               "main returns gather()'s results and run_until_complete() hands them back to the "
                               "caller."),
                          gather_return);
    d.params = hello_params("3.0", "2.0", "4.0");
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("wait-return", "043_seed_wait_return", "Returning wait()'s done and pending",
                               "main returns wait()'s result; the caller reads each task's result after "
                               "run_until_complete()."),
                          wait_return);
    d.params = hello_params("3.0", "2.0", "4.0");
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("same-thread", "045_seed_same_thread", "All tasks run on one thread",
                               "Three tasks interleave on the loop's thread (MainThread): concurrency without "
                               "threads. They end by deadline: 1, 2, then 3 seconds."),
                          same_thread);
    d.params = hello_params("3.0", "2.0", "1.0");
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("sequential-await", "046_seed_sequential_await", "Awaiting coroutines one after another",
                               "hello3 awaits hello2 and then hello1 inline: no new tasks, so their sleeps add "
                               "up to 5 seconds."),
                          sequential_await);
    Param p2{"delay2", ParamKind::number, "2.0", "how long hello2 sleeps"};
    Param p1{"delay1", ParamKind::number, "3.0", "how long hello1 sleeps"};
    d.params = {p1, p2};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_program(make("await-blocks", "047_seed_freezing", "await suspends the awaiting coroutine",
                               "main waits at `await hello1()` until it returns; only then does it go on to "
                               "print."),
                          await_blocks);
    d.params = {delay_param("3.0", "how long hello1 sleeps")};
    out.push_back(std::move(d));
  }
  {
    Demo d = with_main(make("task-group", "053_seed_taskgroup", "A TaskGroup waits for its tasks",
                            "Tasks created in a TaskGroup run concurrently; the group's block ends only when "
                            "all of them are done."),
                       task_group_main);
    d.params = {{"first", ParamKind::number, "1.0", "seconds before 'hello'"},
                {"second", ParamKind::number, "2.0", "seconds before 'world'"}};
    out.push_back(std::move(d));
  }
}

}  // namespace aio::demos
