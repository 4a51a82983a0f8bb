// The per-thread block pool (see aio/detail/pool.hpp).
#include "aio/detail/pool.hpp"

#include "aio/detail/huge_pages.hpp"

#include <atomic>
#include <cstdlib>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace aio::detail {
constinit thread_local ThreadPool t_pool{};
}  // namespace aio::detail

#if AIO_POOL_SLABS

namespace aio::detail {

namespace {

// A slab asks malloc for 8 bytes less than its alignment: Emscripten's
// dlmalloc (8-byte alignment, a 4-byte chunk header) and emmalloc (the npm
// package's) then lay consecutive slabs end to end. Asking for the whole
// 16 KiB left a gap of almost a slab in front of each next one (measured
// with both: 2x the address space; test_pool.cpp checks the tiling).
constexpr std::size_t kSlabRequest = kPoolSlabSize - 8;
constexpr std::size_t kSlabHeader = (sizeof(PoolSlab) + 15) & ~std::size_t(15);

std::size_t g_slab_bytes = 0;  // slabs held (no threads in this build)

void unlink_partial(ThreadPool& p, PoolSlab* s) noexcept {
  (s->prev ? s->prev->next : p.partial[s->cls]) = s->next;
  if (s->next) s->next->prev = s->prev;
  s->prev = s->next = nullptr;
}

}  // namespace

void* pool_refill(std::size_t cls) {
  ThreadPool& p = t_pool;
  // The current slab has no free block and nothing left to carve: it leaves
  // the books until one of its blocks is freed.
  if (PoolSlab* full = p.current[cls]) full->accounted = false;
  PoolSlab* s = p.partial[cls];
  if (s) {
    unlink_partial(p, s);
  } else {
    void* mem = nullptr;
    if (posix_memalign(&mem, kPoolSlabSize, kSlabRequest) != 0) throw std::bad_alloc();
    char* base = static_cast<char*>(mem);
    s = ::new (mem) PoolSlab{nullptr, base + kSlabHeader, base + kSlabRequest, nullptr, nullptr, 0,
                             static_cast<std::uint16_t>(cls), true};
    g_slab_bytes += kPoolSlabSize;
  }
  p.current[cls] = s;
  return pool_allocate(cls * kPoolGranule);  // s has a free block or room to carve
}

void pool_slab_changed(PoolSlab* s) noexcept {
  ThreadPool& p = t_pool;
  if (p.current[s->cls] == s) return;  // its class carves from it: kept even when empty
  if (s->live == 0) {
    if (s->accounted) unlink_partial(p, s);
    g_slab_bytes -= kPoolSlabSize;
    std::free(s);
    return;
  }
  // The first block freed into a full slab: it can serve its class again.
  s->accounted = true;
  s->next = p.partial[s->cls];
  if (s->next) s->next->prev = s;
  p.partial[s->cls] = s;
}

PoolStats pool_stats() noexcept {
  std::size_t uncarved = 0;
  for (PoolSlab* s : t_pool.current)
    if (s) uncarved += static_cast<std::size_t>(s->end - s->bump);
  return {g_slab_bytes, g_slab_bytes - uncarved};
}

}  // namespace aio::detail

#else  // the segment pool

namespace aio::detail {

namespace {

constexpr std::size_t kFirstSegment = 16 * 1024;
// Segments grow 16 KiB, 64 KiB, then 2 MiB, the size of a transparent huge
// page. On this kind of virtual machine a 4 KiB page fault costs 15-30 us,
// and a million pending callbacks or tasks touch a hundred megabytes of fresh
// memory: faults were most of the time of spawn and call_soon. One fault per
// 2 MiB instead of 512 makes fresh memory nearly as cheap as reused. (The
// sizes used to double up to 2 MiB, which left the first 2 MiB a program
// carves on 4 KiB pages: 500 faults, a third of the timers workload's.)
// A program that never needs 80 KiB never maps a huge segment.
constexpr std::size_t kHugeSegment = kHugePage;

std::size_t next_segment_size(std::size_t seg) noexcept { return seg < 64 * 1024 ? seg * 4 : kHugeSegment; }

std::atomic<std::size_t> g_reserved{0};

// Segments come straight from mmap (malloc natively only where mmap is
// missing): they are never returned, and they are no malloc block a leak
// checker could report.
void* new_segment(std::size_t size) {
#if defined(__linux__)
  if (size < kHugeSegment) {
    void* mem = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return mem == MAP_FAILED ? nullptr : mem;
  }
  return map_huge_pages(size);
#else
  return std::malloc(size);  // 16-aligned, as the classes need
#endif
}

// Puts [at, at + n) on the free lists, as blocks of the largest classes that
// fit (each aligned as its class requires).
void give_back(ThreadPool& p, char* at, std::size_t n) {
  while (n >= kPoolGranule) {
    std::size_t c = n / kPoolGranule < kPoolClasses - 1 ? n / kPoolGranule : kPoolClasses - 1;
    // An 8-aligned address can only start a class whose size is an odd multiple of 8.
    if ((reinterpret_cast<std::uintptr_t>(at) & 8) && c % 2 == 0) --c;
    if (c == 0) break;
    auto* b = reinterpret_cast<PoolBlock*>(at);
    b->next = p.free[c];
    p.free[c] = b;
    at += c * kPoolGranule;
    n -= c * kPoolGranule;
  }
}

}  // namespace

void* pool_refill(std::size_t cls) {
  ThreadPool& p = t_pool;
  std::size_t size = cls * kPoolGranule;
  for (;;) {
    if (p.bump) {
      char* b = p.bump + ((reinterpret_cast<std::uintptr_t>(p.bump) & 8) & ~size & 8);
      if (static_cast<std::size_t>(p.bump_end - b) >= size) {
        if (b != p.bump) give_back(p, p.bump, 8);  // the skipped 8 bytes
        p.bump = b + size;
        return b;
      }
      // The rest of the current segment is too small for this class: give it
      // to the free lists rather than waste it.
      give_back(p, p.bump, static_cast<std::size_t>(p.bump_end - p.bump));
    }
    std::size_t seg = p.next_segment ? p.next_segment : kFirstSegment;
    p.next_segment = next_segment_size(seg);
    // Nothing touches the segment up front: pages are faulted in as blocks
    // are carved.
    void* mem = new_segment(seg);
    if (!mem) throw std::bad_alloc();
    g_reserved.fetch_add(seg, std::memory_order_relaxed);
    p.bump = static_cast<char*>(mem);
    p.bump_end = p.bump + seg;
  }
}

}  // namespace aio::detail

namespace aio::detail {

PoolStats pool_stats() noexcept {
  const ThreadPool& p = t_pool;
  std::size_t reserved = g_reserved.load(std::memory_order_relaxed);
  std::size_t tail = p.bump ? static_cast<std::size_t>(p.bump_end - p.bump) : 0;
  return {reserved, reserved - tail};
}

}  // namespace aio::detail

#endif  // AIO_POOL_SLABS
