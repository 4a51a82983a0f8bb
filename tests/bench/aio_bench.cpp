// aio's core benchmark: the workloads of /work/shared/anchors (README.md
// "Workloads"), at the sizes the C++ anchors use, so its figures sit next to
// Boost.Asio's, CPython asyncio's and uvloop's from the same run.
//
// Usage: aio_bench [options] WORKLOAD...
//   WORKLOAD: spawn | switch | call_soon | timers | taskmem | all
//   --scale S   divide every size by S (smoke test: 100); env SCALE
//   --runs R    runs per workload, median reported (default 3); env RUNS
//   --json      also print one JSON document with every run on stdout (after the lines)
//   --no-fork   run in this process (for profilers); by default every run is a
//               fresh child process so heap and RSS start from the same state
//
// Prints, per metric, the median of the runs as
//   bench=<name> impl=aio value=<number> unit=<unit>
// and each run on stderr.
//
// Workloads (sizes at SCALE=1): spawn, switch, call_soon and timers are those
// of workloads.hpp, which aio_bench_wasm runs too (spawn and call_soon also
// report <name>_warm there); this program adds:
//   taskmem   100,000 tasks suspended on one aio::Event (until it is merged: on a
//             future each, which is what an Event's waiter is); heap growth
//             (malloc in use plus the pool's carved bytes) and RSS growth per task, bytes
//   sleepmem  (not in `all`) 100,000 tasks asleep; heap growth per task, bytes
//   shared_future  (not in `all`) 100,000 tasks awaiting one Future<void>: time
//             to suspend them all and total, ms (a done-callback list cost)
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "bench/workloads.hpp"
#include "support/heap.hpp"

using namespace aio_bench;

[[noreturn]] void aio_bench::fail(const char* what) {
  std::fprintf(stderr, "aio_bench: %s\n", what);
  std::exit(1);
}

namespace {

long vmrss_kb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return -1;
}

using aio_test::heap_in_use;  // malloc in use plus the pool's carved bytes

// ---------------------------------------------------------------- task memory
// With aio::Event (runtime/include/aio/sync/event.hpp) the tasks wait on one
// Event, as the workload says. Until it is merged, each task waits on a future
// of its own that "set" completes: what asyncio.Event does inside (one future
// per waiter), and what aio::Event's waiter costs too.
#if __has_include("aio/sync/event.hpp")
#include "aio/sync/event.hpp"
constexpr bool k_have_event = true;
struct WaitPoint {
  aio::Event ev;
  void reserve(long) {}
  aio::Task<void> wait() { co_await ev.wait(); }
  void set() { ev.set(); }
};
#else
constexpr bool k_have_event = false;
struct WaitPoint {
  std::vector<aio::Future<void>> waiters;
  void reserve(long n) { waiters.reserve(std::size_t(n)); }
  void set() {
    for (auto& f : waiters) f.set_result();
  }
};
#endif

struct MemState {
  long woke = 0;
  long n = 0;
  aio::Future<void>* all_woke = nullptr;
};

aio::Task<void> waiter(WaitPoint& ev, MemState& st) {
#if __has_include("aio/sync/event.hpp")
  co_await ev.ev.wait();
#else
  aio::Future<void> f = aio::get_running_loop().create_future<void>();
  ev.waiters.push_back(f);
  co_await f;
#endif
  if (++st.woke == st.n) st.all_woke->set_result();
}

aio::Task<std::vector<Metric>> bench_taskmem(long n) {
  aio::EventLoop& loop = aio::get_running_loop();
  WaitPoint ev;
  ev.reserve(n);  // outside the measured window, as the loop's own structures
  aio::Future<void> all_woke = loop.create_future<void>();
  MemState st{0, n, &all_woke};
  co_await aio::sleep(0);  // warm the loop up (first iteration's allocations)
  long rss0 = vmrss_kb();
  auto heap0 = heap_in_use();
  // The loop keeps pending tasks alive: no handles are kept, as Asio's detached co_spawn.
  for (long i = 0; i < n; ++i) (void)aio::create_task(waiter(ev, st));
  co_await aio::sleep(0);  // every task's first step ran before this one: all are suspended
  long rss1 = vmrss_kb();
  auto heap1 = heap_in_use();
  if (st.woke != 0) fail("taskmem: tasks woke early");
  ev.set();
  co_await all_woke;
  if (st.woke != n) fail("taskmem: not every task woke");
  std::fprintf(stderr, "# taskmem: tasks wait on %s\n", k_have_event ? "one aio::Event" : "a future each (no aio::Event yet)");
  co_return std::vector<Metric>{{"task_mem_rss", double(rss1 - rss0) * 1024.0 / double(n), "bytes"},
                                {"task_mem_heap", double(heap1 - heap0) / double(n), "bytes"}};
}

// Tasks asleep (not a workload of the anchors): the heap a sleeping task
// holds, its timer included (in the frame since the frame timer; a pooled
// TimerHandle before), and the timer heap's entry and slot.
aio::Task<void> long_sleeper() { co_await aio::sleep(3600); }

aio::Task<std::vector<Metric>> bench_sleepmem(long n) {
  std::vector<aio::Task<void>> tasks;
  tasks.reserve(std::size_t(n));  // outside the measured window
  co_await aio::sleep(0);
  auto heap0 = heap_in_use();
  for (long i = 0; i < n; ++i) tasks.push_back(aio::create_task(long_sleeper()));
  co_await aio::sleep(0);  // every task is asleep
  auto heap1 = heap_in_use();
  for (auto& t : tasks) t.cancel();
  co_await aio::gather(aio::return_exceptions, std::move(tasks));
  co_return std::vector<Metric>{{"sleep_mem_heap", double(heap1 - heap0) / double(n), "bytes"}};
}

// All tasks awaiting the very same future (not a workload of the anchors):
// shows the cost of a future's done-callback list with many waiters.
aio::Task<void> shared_waiter(aio::Future<void>& fut, long& woke) {
  co_await fut;
  ++woke;
}

aio::Task<std::vector<Metric>> bench_shared_future(long n) {
  aio::EventLoop& loop = aio::get_running_loop();
  aio::Future<void> fut = loop.create_future<void>();
  long woke = 0;
  auto t0 = clk::now();
  std::vector<aio::Task<void>> tasks;
  tasks.reserve(std::size_t(n));
  for (long i = 0; i < n; ++i) tasks.push_back(aio::create_task(shared_waiter(fut, woke)));
  co_await aio::sleep(0);
  double t_wait = secs(clk::now() - t0);
  fut.set_result();
  co_await aio::gather(std::move(tasks));
  double dt = secs(clk::now() - t0);
  if (woke != n) fail("shared_future: not every task woke");
  co_return std::vector<Metric>{{"shared_future_suspend", t_wait * 1e3, "ms"},
                                {"shared_future_total", dt * 1e3, "ms"}};
}

// ---------------------------------------------------------------- driver
std::vector<Metric> run_workload(const std::string& w) {
  aio::Task<std::vector<Metric>> main = shared_workload(w);
  if (!main) {
    if (w == "taskmem")
      main = bench_taskmem(sz(100000));
    else if (w == "shared_future")
      main = bench_shared_future(sz(100000));
    else if (w == "sleepmem")
      main = bench_sleepmem(sz(100000));
    else
      fail(("unknown workload " + w).c_str());
  }
  return aio::run(std::move(main));
}

// One run in a child process (fresh heap), metrics sent back through a pipe.
std::vector<Metric> run_forked(const std::string& w) {
  int fds[2];
  if (pipe(fds) != 0) fail("pipe failed");
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) fail("fork failed");
  if (pid == 0) {
    close(fds[0]);
    alarm(600);
    std::string out;
    for (const Metric& m : run_workload(w)) {
      char line[256];
      std::snprintf(line, sizeof line, "%s %.17g %s\n", m.bench.c_str(), m.value, m.unit.c_str());
      out += line;
    }
    if (write(fds[1], out.data(), out.size()) != ssize_t(out.size())) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buf[4096];
  ssize_t r;
  while ((r = read(fds[0], buf, sizeof buf)) > 0) text.append(buf, std::size_t(r));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail(("run of " + w + " failed").c_str());
  std::vector<Metric> ms;
  char name[128], unit[64];
  double v;
  int used = 0;
  const char* p = text.c_str();
  while (std::sscanf(p, "%127s %lf %63s%n", name, &v, unit, &used) == 3) {
    ms.push_back({name, v, unit});
    p += used;
  }
  return ms;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t m = v.size();
  return m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  long runs = std::getenv("RUNS") ? std::atol(std::getenv("RUNS")) : 3;
  if (std::getenv("SCALE")) scale_div = std::atol(std::getenv("SCALE"));
  bool json = false, fork_runs = true;
  std::vector<std::string> workloads;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--scale" && i + 1 < argc)
      scale_div = std::atol(argv[++i]);
    else if (a == "--runs" && i + 1 < argc)
      runs = std::atol(argv[++i]);
    else if (a == "--json")
      json = true;
    else if (a == "--no-fork")
      fork_runs = false;
    else if (a == "all")
      workloads.insert(workloads.end(), {"spawn", "switch", "call_soon", "timers", "taskmem"});
    else if (a == "-h" || a == "--help") {
      std::printf("usage: aio_bench [--scale S] [--runs R] [--json] [--no-fork] "
                  "spawn|switch|call_soon|timers|taskmem|all...\n");
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "aio_bench: unknown option %s\n", a.c_str());
      return 2;
    } else
      workloads.push_back(a);
  }
  if (workloads.empty() || runs < 1 || scale_div < 1) {
    std::fprintf(stderr, "usage: aio_bench [--scale S] [--runs R] [--json] [--no-fork] "
                         "spawn|switch|call_soon|timers|taskmem|all...\n");
    return 2;
  }

  struct Series {
    std::string unit;
    std::vector<double> values;
  };
  std::vector<std::string> order;
  std::map<std::string, Series> series;
  for (const std::string& w : workloads) {
    for (long r = 0; r < runs; ++r) {
      std::vector<Metric> ms = fork_runs ? run_forked(w) : run_workload(w);
      for (const Metric& m : ms) {
        std::fprintf(stderr, "# run %ld: bench=%s impl=aio value=%.6g unit=%s\n", r + 1, m.bench.c_str(),
                     m.value, m.unit.c_str());
        if (!series.count(m.bench)) order.push_back(m.bench);
        series[m.bench].unit = m.unit;
        series[m.bench].values.push_back(m.value);
      }
    }
  }
  for (const std::string& b : order)
    std::printf("bench=%s impl=aio value=%.6g unit=%s\n", b.c_str(), median(series[b].values),
                series[b].unit.c_str());
  if (json) {
    std::printf("{\"impl\": \"aio\", \"scale\": %ld, \"runs\": %ld, \"results\": [", scale_div, runs);
    for (std::size_t i = 0; i < order.size(); ++i) {
      const Series& s = series[order[i]];
      std::printf("%s\n  {\"bench\": \"%s\", \"unit\": \"%s\", \"median\": %.6g, \"values\": [", i ? "," : "",
                  order[i].c_str(), s.unit.c_str(), median(s.values));
      for (std::size_t j = 0; j < s.values.size(); ++j) std::printf("%s%.6g", j ? ", " : "", s.values[j]);
      std::printf("]}");
    }
    std::printf("\n]}\n");
  }
  return 0;
}
