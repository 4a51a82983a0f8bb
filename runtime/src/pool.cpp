// The per-thread block pool (see aio/detail/pool.hpp).
#include "aio/detail/pool.hpp"

#include <cstdlib>
#include <mutex>
#include <vector>

namespace aio::detail {

constinit thread_local ThreadPool t_pool{};

namespace {

constexpr std::size_t kFirstSegment = 16 * 1024;
constexpr std::size_t kMaxSegment = 256 * 1024;  // caps what a half-used last segment wastes

// Every segment ever made, so that they stay reachable (leak checkers) even
// after the thread that carved them has exited: its blocks may live on in
// other threads' free lists.
struct SegmentList {
  std::mutex mutex;
  std::vector<void*> segments;
};
SegmentList& segment_list() {
  static SegmentList* list = new SegmentList;  // never destroyed: blocks outlive static destruction
  return *list;
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
    p.next_segment = seg < kMaxSegment ? seg * 2 : kMaxSegment;
    // malloc, not calloc or a touching loop: pages are faulted in as blocks
    // are carved. malloc's blocks are 16-aligned.
    void* mem = std::malloc(seg);
    if (!mem) throw std::bad_alloc();
    {
      SegmentList& list = segment_list();
      std::lock_guard lock(list.mutex);
      list.segments.push_back(mem);
    }
    p.bump = static_cast<char*>(mem);
    p.bump_end = p.bump + seg;
  }
}

}  // namespace aio::detail
