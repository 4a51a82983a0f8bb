// The per-thread block pool (see aio/detail/pool.hpp).
#include "aio/detail/pool.hpp"

#include <cstdlib>
#include <mutex>
#include <vector>

namespace aio::detail {

thread_local ThreadPool t_pool;

namespace {

constexpr std::size_t kFirstSegment = 16 * 1024;
constexpr std::size_t kMaxSegment = 1024 * 1024;

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

}  // namespace

void* pool_refill(std::size_t cls) {
  ThreadPool& p = t_pool;
  std::size_t size = cls * kPoolGranule;
  if (static_cast<std::size_t>(p.bump_end - p.bump) < size) {
    // The rest of the current segment is too small for this class: give it
    // to the free lists (largest classes that fit) rather than waste it.
    while (p.bump && static_cast<std::size_t>(p.bump_end - p.bump) >= kPoolGranule) {
      std::size_t left = static_cast<std::size_t>(p.bump_end - p.bump);
      std::size_t c = left / kPoolGranule < kPoolClasses - 1 ? left / kPoolGranule : kPoolClasses - 1;
      auto* b = reinterpret_cast<PoolBlock*>(p.bump);
      b->next = p.free[c];
      p.free[c] = b;
      p.bump += c * kPoolGranule;
    }
    std::size_t seg = p.next_segment ? p.next_segment : kFirstSegment;
    p.next_segment = seg < kMaxSegment ? seg * 2 : kMaxSegment;
    // malloc, not calloc or a touching loop: pages are faulted in as blocks
    // are carved.
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
  void* block = p.bump;
  p.bump += size;
  return block;
}

}  // namespace aio::detail
