// aio's core benchmark compiled to WebAssembly and run by Node, on the browser
// host: the loop runs in slices from Node's event loop (aio::web::
// run_until_complete), as in a page, and the timers workload sleeps on the
// real clock with the host's one setTimeout for the earliest deadline.
//
// The workloads are those of tests/bench/aio_bench.cpp (the same coroutines,
// sizes and checks; that file forks and reads /proc, which wasm cannot, hence
// this copy), itself following /work/shared/anchors/README.md.
//
// Usage: node aio_bench_wasm.js [--scale S] [--budget SECONDS] WORKLOAD
//   WORKLOAD: spawn | switch | call_soon | timers   (one per process: a fresh heap)
//   --scale S       divide every size by S (smoke test: 100)
//   --budget SEC    the host's slice budget (default: the host's, 8 ms)
// spawn and call_soon also print <name>_warm: a second pass (see cold_then_warm).
// Prints bench=<name> impl=aio-wasm value=<number> unit=<unit> lines, and the
// host's counters (slices, hops, timers) on stderr as a '# ' line.
#include <emscripten.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/web/web_host.hpp"

// A named namespace, not an anonymous one: with internal linkage, clang 14 at
// -Os inlines enough that a coroutine handle's resume() ends up in tail
// position in bench_spawn & co. (which co_await gather() or a Future and
// co_return a vector of Metric), turns it into a musttail call and fails with
// "WebAssembly 'tail-call' feature not enabled" (see TOOLCHAIN.md).
namespace aio_bench_wasm {

using clk = std::chrono::steady_clock;  // performance.now() under Emscripten
double secs(clk::duration d) { return std::chrono::duration<double>(d).count(); }

struct Metric {
  std::string bench;
  double value;
  std::string unit;
};

long scale_div = 1;
long sz(long n) { return n / scale_div > 0 ? n / scale_div : 1; }

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "aio_bench_wasm: %s\n", what);
  std::fflush(stderr);
  emscripten_force_exit(1);
}

// ---------------------------------------------------------------- spawn
aio::Task<long> trivial(long i) { co_return i; }

aio::Task<std::vector<Metric>> bench_spawn(long n) {
  auto t0 = clk::now();
  std::vector<aio::Task<long>> tasks;
  tasks.reserve(std::size_t(n));
  for (long i = 0; i < n; ++i) tasks.push_back(aio::create_task(trivial(i)));
  std::vector<long> res = co_await aio::gather(std::move(tasks));
  double dt = secs(clk::now() - t0);
  long long sum = 0;
  for (long v : res) sum += v;
  if (sum != (long long)n * (n - 1) / 2) fail("spawn: wrong sum");
  co_return std::vector<Metric>{{"spawn", n / dt, "tasks/s"}};
}

// ---------------------------------------------------------------- switch
aio::Task<long> yielder(long k) {
  for (long i = 0; i < k; ++i) co_await aio::sleep(0);
  co_return k;
}

aio::Task<std::vector<Metric>> bench_switch(long tasks_n, long k) {
  auto t0 = clk::now();
  std::vector<aio::Task<long>> tasks;
  tasks.reserve(std::size_t(tasks_n));
  for (long t = 0; t < tasks_n; ++t) tasks.push_back(aio::create_task(yielder(k)));
  std::vector<long> res = co_await aio::gather(std::move(tasks));
  double dt = secs(clk::now() - t0);
  long long sum = 0;
  for (long v : res) sum += v;
  if (sum != (long long)tasks_n * k) fail("switch: wrong count");
  co_return std::vector<Metric>{{"switch", double(sum) / dt, "yields/s"}};
}

// ---------------------------------------------------------------- call_soon
aio::Task<std::vector<Metric>> bench_call_soon(long n) {
  aio::EventLoop& loop = aio::get_running_loop();
  aio::Future<void> done = loop.create_future<void>();
  long count = 0;
  auto t0 = clk::now();
  for (long i = 0; i < n; ++i)
    (void)loop.call_soon([&count, &done, n] {
      if (++count == n) done.set_result();
    });
  co_await done;
  double dt = secs(clk::now() - t0);
  if (count != n) fail("call_soon: wrong count");
  co_return std::vector<Metric>{{"call_soon", n / dt, "callbacks/s"}};
}

// ---------------------------------------------------------------- timers
double timer_delay(long i) { return double(i * 7919 % 1001) / 1000.0; }

aio::Task<double> sleeper(double d) {
  auto t = clk::now();
  co_await aio::sleep(d);
  co_return secs(clk::now() - t) - d;  // lateness, seconds
}

aio::Task<std::vector<Metric>> bench_timers(long n) {
  auto t0 = clk::now();
  std::vector<aio::Task<double>> tasks;
  tasks.reserve(std::size_t(n));
  for (long i = 0; i < n; ++i) tasks.push_back(aio::create_task(sleeper(timer_delay(i))));
  std::vector<double> late = co_await aio::gather(std::move(tasks));
  double wall = secs(clk::now() - t0);
  double sum = 0;
  for (double l : late) sum += l;
  co_return std::vector<Metric>{{"timers_overhead", (wall - 1.0) * 1e3, "ms"},
                                {"timers_mean_lateness", sum / double(n) * 1e3, "ms"}};
}
// ---------------------------------------------------------------- cold, then warm
// spawn and call_soon a second time in the same process, reported as
// <name>_warm, as tests/bench/aio_bench.cpp does natively: the first pass
// touches fresh wasm memory, and on this machine kind a first touch of a page
// costs 12-16 us (V8's wasm memory gets no huge pages), so the cold figure is
// mostly the host's page faults; the second pass runs on the memory the first
// one freed, which is the runtime's own speed. Pyodide gets the same second
// pass (tests/bench/wasm/pyodide_warm.mjs).
aio::Task<std::vector<Metric>> cold_then_warm(aio::Task<std::vector<Metric>> (*bench)(long), long n) {
  std::vector<Metric> ms = co_await bench(n);
  for (Metric m : co_await bench(n)) {
    m.bench += "_warm";
    ms.push_back(std::move(m));
  }
  co_return ms;
}

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: node aio_bench_wasm.js [--scale S] [--budget SECONDS] spawn|switch|call_soon|timers\n");
  std::fflush(stderr);
  emscripten_force_exit(2);
}

}  // namespace aio_bench_wasm

using namespace aio_bench_wasm;

int main(int argc, char** argv) {
  std::string workload;
  double budget = -1;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--scale" && i + 1 < argc)
      scale_div = std::atol(argv[++i]);
    else if (a == "--budget" && i + 1 < argc)
      budget = std::atof(argv[++i]);
    else if (!a.empty() && a[0] != '-' && workload.empty())
      workload = a;
    else
      usage();
  }
  if (scale_div < 1) usage();
  aio::Task<std::vector<Metric>> main_task;
  if (workload == "spawn")
    main_task = cold_then_warm(bench_spawn, sz(1000000));
  else if (workload == "switch")
    main_task = bench_switch(100, sz(100000));
  else if (workload == "call_soon")
    main_task = cold_then_warm(bench_call_soon, sz(1000000));
  else if (workload == "timers")
    main_task = bench_timers(sz(100000));
  else
    usage();

  // Never destroyed: the process ends with emscripten_force_exit.
  auto* loop = new aio::EventLoop(aio::EventLoop::Options{aio::Clock::real});
  if (budget >= 0) aio::web::host_of(*loop).set_slice_budget(budget);
  aio::web::run_until_complete(*loop, std::move(main_task), [loop, workload](auto& fut, std::exception_ptr error) {
    if (error) fail(aio::describe_exception(error).c_str());
    std::vector<Metric> ms;
    try {
      ms = fut.result();
    } catch (...) {
      fail(aio::describe_exception(std::current_exception()).c_str());
    }
    for (const Metric& m : ms)
      std::printf("bench=%s impl=aio-wasm value=%.6g unit=%s\n", m.bench.c_str(), m.value, m.unit.c_str());
    const auto& st = aio::web::host_of(*loop).stats();
    std::fprintf(stderr, "# aio-wasm %s: slices=%llu hops=%llu timers=%llu wakes=%llu\n", workload.c_str(),
                 (unsigned long long)st.slices, (unsigned long long)st.hops, (unsigned long long)st.timers,
                 (unsigned long long)st.wakes);
    std::fflush(stdout);
    std::fflush(stderr);
    emscripten_force_exit(0);
  });
  // main() returns to JS; the loop runs from Node's event loop.
  emscripten_exit_with_live_runtime();
}
