// aio's core benchmark compiled to WebAssembly and run by Node, on the browser
// host: the loop runs in slices from Node's event loop (aio::web::
// run_until_complete), as in a page, and the timers workload sleeps on the
// real clock with the host's one setTimeout for the earliest deadline.
//
// The workloads are those of tests/bench/workloads.hpp, which the native
// tests/bench/aio_bench.cpp runs too (the same coroutines, sizes and checks),
// following /work/shared/anchors/README.md; that program also forks and reads
// /proc, which wasm cannot, hence a program of its own.
//
// Usage: node aio_bench_wasm.js [--scale S] [--budget SECONDS] WORKLOAD
//   WORKLOAD: spawn | switch | call_soon | timers   (one per process: a fresh heap)
//   --scale S       divide every size by S (smoke test: 100)
//   --budget SEC    the host's slice budget (default: the host's, 8 ms)
// spawn and call_soon also print <name>_warm: a second pass (see cold_then_warm).
// Prints bench=<name> impl=aio-wasm value=<number> unit=<unit> lines, and the
// host's counters (slices, hops, timers) on stderr as a '# ' line.
#include <emscripten.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/web/web_host.hpp"
#include "bench/workloads.hpp"

using namespace aio_bench;

[[noreturn]] void aio_bench::fail(const char* what) {
  std::fprintf(stderr, "aio_bench_wasm: %s\n", what);
  std::fflush(stderr);
  emscripten_force_exit(1);
}

namespace {

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: node aio_bench_wasm.js [--scale S] [--budget SECONDS] spawn|switch|call_soon|timers\n");
  std::fflush(stderr);
  emscripten_force_exit(2);
}

}  // namespace

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
  aio::Task<std::vector<Metric>> main_task = shared_workload(workload);
  if (!main_task) usage();

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
