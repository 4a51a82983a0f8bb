// timers_mem: the heap a sleeping task costs in the timers workload, as a
// deterministic figure (the timing of that workload in wasm is mostly the
// first touch of fresh memory, and noisy; its bytes are not). Runs the very
// coroutine of tests/bench/workloads.hpp (bench_timers, 100,000 tasks) on the
// virtual clock, and prints per task:
//   asleep  malloc's bytes in use plus the pool's carved bytes, once every
//           task is asleep (the sampler wakes before the first timer fires)
//   peak    the high-water of memory ever obtained: wasm, dlmalloc's heap top
//           (sbrk never shrinks there: all of it was touched); natively,
//           malloc's peak arena plus the pool's carved bytes, and VmHWM
// and the sizes that make it up. Built natively (tests/bench) and for wasm
// (tests/bench/wasm); run the wasm one with node.
//
// Usage: timers_mem [N]   (default 100000)
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "aio/aio.hpp"
#include "aio/detail/pool.hpp"
#include "bench/workloads.hpp"

#if defined(__EMSCRIPTEN__)
#include <unistd.h>
#endif

using namespace aio_bench;

[[noreturn]] void aio_bench::fail(const char* what) {
  std::fprintf(stderr, "timers_mem: %s\n", what);
  std::exit(1);
}

namespace {

struct Sample {
  double in_use;     // malloc in use + pool carved
  double footprint;  // memory obtained: wasm heap top; natively malloc arena + mmapped + pool carved
};

#if !defined(__EMSCRIPTEN__)
long vm_kb(const char* key) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(key, 0) == 0) return std::strtol(line.c_str() + std::string(key).size(), nullptr, 10);
  return -1;
}
#endif

Sample sample() {
  auto ps = aio::detail::pool_stats();
#if defined(__EMSCRIPTEN__)
  struct mallinfo mi = ::mallinfo();
  // The pool's slabs come from malloc: uordblks counts them whole, so take
  // out their uncarved tails as for the native segments.
  double in_use = double(mi.uordblks) - double(ps.reserved - ps.carved);
  return {in_use, double(reinterpret_cast<std::uintptr_t>(sbrk(0)))};
#else
  struct mallinfo2 mi = ::mallinfo2();
  return {double(mi.uordblks) + double(mi.hblkhd) + double(ps.carved),
          double(mi.arena) + double(mi.hblkhd) + double(ps.carved)};
#endif
}

Sample s_asleep{};
double g_peak_footprint = 0;

void note_peak() {
  Sample s = sample();
  if (s.footprint > g_peak_footprint) g_peak_footprint = s.footprint;
}

}  // namespace

int main(int argc, char** argv) {
  long n = argc > 1 ? std::atol(argv[1]) : 100000;
  if (n < 1) fail("N must be positive");

  // A sleeper's frame size: two frames carved back to back from one fresh
  // pool class are one class size apart (nothing else of that size yet).
  long frame_bytes = 0;
  {
    aio::Task<double> a = sleeper(0.5);
    aio::Task<double> b = sleeper(0.5);
    frame_bytes = long(reinterpret_cast<char*>(&b.core()) - reinterpret_cast<char*>(&a.core()));
    if (frame_bytes < 0) frame_bytes = -frame_bytes;
  }

  aio::EventLoop::Options opt;
  opt.clock = aio::Clock::virtual_time;
  aio::EventLoop loop(opt);
  Sample s0 = sample();
  g_peak_footprint = s0.footprint;
#if !defined(__EMSCRIPTEN__)
  long hwm0 = vm_kb("VmHWM:");
#endif
  // Wakes after every task of the workload has started its timer and before
  // the first one (1 ms) fires.
  auto sampler = []() -> aio::Task<void> {
    co_await aio::sleep(0.0005);
    s_asleep = sample();
    note_peak();
  };
  aio::Task<void> sampler_task = loop.create_task(sampler());
  auto workload = bench_timers(n);
  loop.run_until_complete(std::move(workload));
  note_peak();
#if !defined(__EMSCRIPTEN__)
  long hwm1 = vm_kb("VmHWM:");
#endif

  double per = 1.0 / double(n);
#if defined(__EMSCRIPTEN__)
  const char* target = "wasm32";
#else
  const char* target = "native";
#endif
  std::printf("# %s, %ld tasks\n", target, n);
  std::printf("asleep_bytes_per_task %.1f\n", (s_asleep.in_use - s0.in_use) * per);
  std::printf("peak_bytes_per_task %.1f\n", (g_peak_footprint - s0.footprint) * per);
#if !defined(__EMSCRIPTEN__)
  std::printf("vmhwm_bytes_per_task %.1f\n", double(hwm1 - hwm0) * 1024 * per);
#endif
  std::printf("frame_block %ld\n", frame_bytes);
  std::printf("sizeof FutureCore %zu, TaskCore %zu, TaskPromise<double> %zu\n", sizeof(aio::detail::FutureCore),
              sizeof(aio::detail::TaskCore), sizeof(aio::detail::TaskPromise<double>));
  std::printf("sizeof SleepAwaiter<void> %zu (FrameTimer %zu, ParkingLot %zu)\n",
              sizeof(aio::detail::SleepAwaiter<void>), sizeof(aio::detail::FrameTimer),
              sizeof(aio::detail::ParkingLot));
  std::printf("sizeof HeapCallbackNode %zu (+ gather's StateRef %zu)\n", sizeof(aio::detail::HeapCallbackNode),
              sizeof(void*));
  return 0;
}
