// The "threads" demos: blocking work handed to executors (run_in_executor).
#include <string>
#include <thread>
#include <type_traits>

#include "aio/demos/demo.hpp"
#include "aio/executor.hpp"
#include "aio/sleep.hpp"
#include "aio/threads.hpp"
#include "support.hpp"

namespace aio::demos {
namespace {

// was: open('/dev/urandom').read(100), made deterministic: bytes(range(10)).hex()
std::string blocking_io() {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 10; ++i) {
    out += hex[i >> 4];
    out += hex[i & 15];
  }
  return out;
}

long long cpu_bound() {
  long long sum = 0;
  for (long long i = 0; i < 10000; ++i) sum += i * i;
  return sum;
}

// ---- run-in-executor (012) --------------------------------------------------

Task<void> run_in_executor_main(DemoContext& ctx) {
  EventLoop& loop = get_running_loop();
  // 1. Run in the default loop's executor:
  std::string result = co_await run_in_executor(loop, nullptr, blocking_io);
  ctx.print("default thread pool", result);
  // 2. Run in a custom thread pool (Python: with ThreadPoolExecutor() as pool:)
  ThreadPoolExecutor pool;
  result = co_await run_in_executor(loop, &pool, blocking_io);
  ctx.print("custom thread pool", result);
  long long sum = co_await run_in_executor(loop, &pool, cpu_bound);
  ctx.print("custom thread pool cpu_bound", sum);
  pool.shutdown(true);
}

// ---- executor-default (029) -------------------------------------------------

std::string func1() {
  return "defaulf pool";  // some slow operation (was time.sleep(2))
}

template <class T>
struct is_future : std::false_type {};
template <class T>
struct is_future<Future<T>> : std::true_type {};

Task<void> executor_default(DemoContext& ctx) {
  EventLoop& loop = get_running_loop();
  auto fut = run_in_executor(loop, nullptr, func1);
  ctx.print("isfuture", is_future<decltype(fut)>::value);
  std::string result = co_await fut;
  ctx.print("default thread pool", result);
}

// ---- threadsafe (048) -------------------------------------------------------

// A GUI form whose button hands a computation to an event loop running on a
// thread of its own, and blocks on the result (run_coroutine_threadsafe).
class Form {
 public:
  explicit Form(DemoContext& ctx) : ctx_(ctx) {}

  Task<std::string> calculate(int n) {
    ctx_.print("calculate start", n, support::thread_name());
    co_await sleep(ctx_.param("work", 3.0));
    label = py::str(300 * n);
    ctx_.print("calculate end", n);
    co_return label;
  }

  void get_loop(EventLoop& loop) {
    support::set_thread_name("loop-thread");  // Python: threading.Thread(..., name="loop-thread")
    loop.run_forever();
  }

  void change_form_state() {
    // Make the loop on this thread (not running yet); get_loop runs it.
    EventLoop& new_loop = ctx_.new_loop();
    std::thread t([this, &new_loop] { get_loop(new_loop); });
    for (int n : {1, 2}) {
      ConcurrentFuture<std::string> fut = run_coroutine_threadsafe(calculate(n), new_loop);
      std::string result = fut.result();  // blocks this thread, not the loop
      ctx_.print("main thread got", result, label);
    }
    new_loop.call_soon_threadsafe([&new_loop] { new_loop.stop(); });
    t.join();
    ctx_.print("loop thread joined; loop time", py::fixed(new_loop.time(), 3));
    new_loop.close();
  }

  std::string label = "等待计算结果";

 private:
  DemoContext& ctx_;
};

void threadsafe(DemoContext& ctx) {
  Form form(ctx);
  ctx.print(form.label);
  form.change_form_state();
}

Demo make(std::string name, std::string scenario, std::string title, std::string summary,
          Task<void> (*main)(DemoContext&)) {
  Demo d;
  d.name = std::move(name);
  d.group = "threads";
  d.scenario = std::move(scenario);
  d.title = std::move(title);
  d.summary = std::move(summary);
  d.main = main;
  return d;
}

}  // namespace

void add_threads_demos(std::vector<Demo>& out) {
  out.push_back(make("run-in-executor", "012_seed_run_in_executor", "Blocking calls in thread pools",
                     "run_in_executor runs blocking functions on the default executor and on a "
                     "ThreadPoolExecutor of our own; the loop keeps running meanwhile.",
                     run_in_executor_main));
  out.push_back(make("executor-default", "029_seed_executor_func1", "run_in_executor returns a Future",
                     "The default executor runs func1 on a worker thread; the task awaits the Future.",
                     executor_default));
  Demo d = support::with_program(
      support::make_demo("threadsafe", "threads", "048_seed_threadsafe",
                         "Handing coroutines to a loop on another thread",
                         "A loop runs forever on its own thread; the main thread submits coroutines with "
                         "run_coroutine_threadsafe and blocks on each result, then stops the loop with "
                         "call_soon_threadsafe."),
      threadsafe);
  d.params = {{"work", ParamKind::number, "3.0", "how long each calculation takes"}};
  out.push_back(std::move(d));
}

}  // namespace aio::demos
