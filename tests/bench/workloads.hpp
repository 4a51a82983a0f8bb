#pragma once
// The workloads aio_bench (native, tests/bench/aio_bench.cpp) and
// aio_bench_wasm (Node on the browser host, tests/bench/wasm/aio_bench_wasm.cpp)
// both run, at the sizes the C++ anchors use (../shared/anchors/README.md,
// "Workloads"), so that native and wasm figures come from the very same
// coroutines, sizes and checks. Each program keeps what only it can do
// (native: fork, /proc, memory workloads; wasm: the web host) and how it fails.
//
// Sizes at scale_div = 1:
//   spawn     1,000,000 tasks created with create_task, each returning its index,
//             then awaited together with aio::gather on the vector; tasks/s
//   switch    100 tasks each doing 100,000 `co_await aio::sleep(0)`; yields/s
//   call_soon 1,000,000 loop.call_soon callbacks incrementing a counter; callbacks/s
//   timers    100,000 tasks each sleeping (i*7919 % 1001)/1000 s on the real clock;
//             overhead = wall - 1.0 s (ms) and mean lateness of the wake-ups (ms)
// spawn and call_soon also report <name>_warm (see cold_then_warm).
//
// Include it from one translation unit per program: its definitions are not
// inline (see the namespace below), so a second includer would not link.
#include <chrono>
#include <string>
#include <vector>

#include "aio/aio.hpp"

// A named namespace, not an anonymous one: with internal linkage, clang 14 at
// -Os inlines enough that a coroutine handle's resume() ends up in tail
// position in bench_spawn & co. (which co_await gather() or a Future and
// co_return a vector of Metric), turns it into a musttail call and fails with
// "WebAssembly 'tail-call' feature not enabled" (see TOOLCHAIN.md). Not
// `inline` either: external, non-inline definitions are what the wasm build
// was known to compile with when these lived in aio_bench_wasm.cpp.
namespace aio_bench {

using clk = std::chrono::steady_clock;  // performance.now() under Emscripten
double secs(clk::duration d) { return std::chrono::duration<double>(d).count(); }

struct Metric {
  std::string bench;
  double value;
  std::string unit;
};

long scale_div = 1;
long sz(long n) { return n / scale_div > 0 ? n / scale_div : 1; }

// Defined by each program: native exits, wasm must flush and force-exit the
// Node process (the runtime is kept alive for the host's loop).
[[noreturn]] void fail(const char* what);

// ---------------------------------------------------------------- spawn
aio::Task<long> trivial(long i) { co_return i; }

aio::Task<std::vector<Metric>> bench_spawn(long n) {
  auto t0 = clk::now();
  std::vector<aio::Task<long>> tasks;
  tasks.reserve(std::size_t(n));
  for (long i = 0; i < n; ++i) tasks.push_back(aio::create_task(trivial(i)));
  std::vector<long> res = co_await aio::gather(std::move(tasks));
  double dt = secs(clk::now() - t0);
  // long long: long is 32 bits on wasm32, and the sum at n = 1M overflows it.
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
  long long sum = 0;  // as in bench_spawn
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
// A workload run twice in one process: the first pass as every other workload
// (a fresh process: its memory is touched for the first time), then a second
// pass on memory the first one freed, reported as <name>_warm. A first touch
// of fresh memory costs the host's page faults, and that cost swings from run
// to run: natively on a VM with free page reporting (Firecracker here); in
// wasm 12-16 us a page on this machine kind (V8's wasm memory gets no huge
// pages), so there the cold figure is mostly page faults. The warm figure is
// the runtime's own speed. The anchors get the same second pass:
// tests/bench/py_warm.py (asyncio, uvloop), tests/bench/wasm/pyodide_warm.mjs.
aio::Task<std::vector<Metric>> cold_then_warm(aio::Task<std::vector<Metric>> (*bench)(long), long n) {
  std::vector<Metric> ms = co_await bench(n);
  for (Metric m : co_await bench(n)) {
    m.bench += "_warm";
    ms.push_back(std::move(m));
  }
  co_return ms;
}

// The workload named w (spawn | switch | call_soon | timers) at its size;
// an empty task for any other name, which the program may know itself.
aio::Task<std::vector<Metric>> shared_workload(const std::string& w) {
  if (w == "spawn") return cold_then_warm(bench_spawn, sz(1000000));
  if (w == "switch") return bench_switch(100, sz(100000));
  if (w == "call_soon") return cold_then_warm(bench_call_soon, sz(1000000));
  if (w == "timers") return bench_timers(sz(100000));
  return {};
}

}  // namespace aio_bench
