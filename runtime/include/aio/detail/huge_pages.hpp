#pragma once
// Memory for the runtime's big arrays (the loop's timer heap and frame-timer
// slots) and the pool's big segments, backed by transparent huge pages.
//
// Why: on the virtual machines we measure on, the first touch of a 4 KiB page
// costs 15-30 us (the hypervisor shadows the guest's page tables), a 2 MiB
// huge page about 512 times less per byte. 100,000 sleeping tasks grow the
// timer heap and its slots to 2.4 MB, and std::vector's doubling copies each
// into fresh memory: those faults were most of the timers workload's
// overhead (tests/bench/RESULTS.md, "Huge pages for the loop's arrays").
//
// How: an array that reaches kHugeArrayMin bytes is mapped on its own, 2 MiB
// aligned and advised MADV_HUGEPAGE, its size rounded up to whole huge pages;
// reserve_for_push grows it into that rounding, so no mapped byte is wasted.
// Smaller arrays, non-Linux builds and AddressSanitizer builds (whose checks
// need malloc's blocks) use operator new.
#include <cstddef>
#include <new>
#include <vector>

#include "aio/detail/pool.hpp"  // AIO_POOL_ENABLED: off under AddressSanitizer

#if defined(__linux__) && AIO_POOL_ENABLED && !AIO_POOL_SLABS
#define AIO_HUGE_ARRAYS 1
#else
#define AIO_HUGE_ARRAYS 0
#endif

namespace aio::detail {

inline constexpr std::size_t kHugePage = 2 * 1024 * 1024;
inline constexpr std::size_t kHugeArrayMin = 256 * 1024;

/// `bytes` (a multiple of kHugePage) of zeroed memory at a kHugePage-aligned
/// address, advised for huge pages; nullptr if the system has none to give.
/// Pages are faulted in as they are touched.
void* map_huge_pages(std::size_t bytes) noexcept;
void unmap_huge_pages(void* p, std::size_t bytes) noexcept;

inline constexpr bool uses_huge_pages(std::size_t bytes) noexcept { return AIO_HUGE_ARRAYS && bytes >= kHugeArrayMin; }
inline constexpr std::size_t round_to_huge_pages(std::size_t bytes) noexcept {
  return (bytes + kHugePage - 1) & ~(kHugePage - 1);
}

/// A std::allocator that puts big arrays on huge pages (see above).
template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() noexcept = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    std::size_t bytes = n * sizeof(T);
    if (!uses_huge_pages(bytes)) return static_cast<T*>(::operator new(bytes));
    void* p = map_huge_pages(round_to_huge_pages(bytes));
    if (!p) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    std::size_t bytes = n * sizeof(T);
    if (uses_huge_pages(bytes))
      unmap_huge_pages(p, round_to_huge_pages(bytes));
    else
      ::operator delete(p);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

// Without huge pages, a plain std::vector: in WebAssembly a second
// instantiation of its code would cost the npm package's size budget.
#if AIO_HUGE_ARRAYS
template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;
#else
template <class T>
using HugeVector = std::vector<T>;
#endif

/// Makes room for one more element the way std::vector would (doubling),
/// except that a huge-page array takes all of its last huge page: the
/// mapping is rounded up anyway, and each regrowth copies into fresh pages.
template <class T>
void reserve_for_push(HugeVector<T>& v) {
  if constexpr (AIO_HUGE_ARRAYS) {
    if (v.size() < v.capacity()) [[likely]]
      return;
    std::size_t n = v.capacity() ? 2 * v.capacity() : 16;
    if (uses_huge_pages(n * sizeof(T))) n = round_to_huge_pages(n * sizeof(T)) / sizeof(T);
    v.reserve(n);
  }
}

}  // namespace aio::detail
