#pragma once
// A per-thread pool for the loop's small, short-lived objects: coroutine
// frames (through the promise's operator new), future and task states,
// callback handles and done-callback nodes.
//
// Why: every create_task, call_soon and sleep allocates one to three of them,
// and with a million pending at once glibc's tcache (7 blocks per size) never
// hits, so each malloc/free pair went through _int_malloc/_int_free (about 350
// instructions of a 550-instruction call_soon).
//
// How: blocks come in size classes of 8 bytes up to kPoolMaxSize; each class
// has a free list (LIFO: the block freed last is the one in cache). Empty
// lists are refilled by carving from the thread's current segment with a bump
// pointer; segments grow from 16 KiB to 2 MiB (from then on backed by
// transparent huge pages where the kernel allows: see pool.cpp) and are only
// touched as they are carved (no zeroing or free-list threading up front). A block
// freed on another thread (a call_soon_threadsafe handle, a future completed
// from an executor) joins that thread's lists: ownership follows the block,
// no locks. Segments are mapped memory, never returned to the system (a
// thread's blocks can outlive it in other threads' lists).
//
// Under AddressSanitizer the pool is bypassed (plain operator new/delete):
// ASan's quarantine finds use-after-free that immediate reuse would hide.
//
// WebAssembly without threads has its own variant, slabs (AIO_POOL_SLABS):
// the npm package promises that disposed (or collected) tasks give their
// memory back to malloc (tests/node/test_memory.mjs), which a pool whose
// segments are never returned cannot keep; yet malloc per block cost wasm
// a quarter of the timers workload's overhead and a tenth of call_soon's
// (interleaved A/B, tests/bench/RESULTS-wasm.md run 10). So blocks come
// from 16 KiB slabs, each holding one class and counting its live blocks;
// a slab whose last block is freed goes back to malloc, except the one its
// class is carving from. The threads module
// (-pthread) keeps malloc: its blocks may be freed on a worker, and slab
// counts are not atomic.
#include <cstddef>
#include <cstdint>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define AIO_POOL_ENABLED 0
#elif defined(__EMSCRIPTEN__) && defined(__EMSCRIPTEN_PTHREADS__)
#define AIO_POOL_ENABLED 0
#elif defined(__EMSCRIPTEN__)
#define AIO_POOL_ENABLED 1
#define AIO_POOL_SLABS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AIO_POOL_ENABLED 0
#endif
#endif
#ifndef AIO_POOL_ENABLED
#define AIO_POOL_ENABLED 1
#endif
#ifndef AIO_POOL_SLABS
#define AIO_POOL_SLABS 0
#endif

// The fast paths are a handful of instructions; GCC would otherwise keep
// them out of line in the larger callers. Not in WebAssembly: a copy in
// every coroutine's ramp and every pooled class cost the npm package's
// size budget more than the call costs time.
#if AIO_POOL_SLABS
#define AIO_POOL_INLINE inline
#else
#define AIO_POOL_INLINE inline __attribute__((always_inline))
#endif

namespace aio::detail {

// Classes are 8 bytes apart (a 184-byte frame takes 184 bytes, not 192).
// Alignment: a size that is a multiple of 16 gets a 16-aligned block, any
// other size an 8-aligned one. That serves every type, since a type's size is
// a multiple of its alignment (a block of a class keeps its alignment when it
// is freed and reused).
//
// With slabs (wasm32), classes are 4 bytes apart: a size that is not a
// multiple of 8 belongs to a type aligned to 4 at most, and a slab's blocks
// all have its class's size and start 16-aligned, so each block is aligned
// as its size allows. In wasm32 many objects end on a 4 (gather's per-child
// node is 28 bytes, a call_soon handle 52), and each took 4 bytes more than
// it needed: every byte is fresh memory touched per task or callback.
#if AIO_POOL_SLABS
inline constexpr std::size_t kPoolGranule = 4;
#else
inline constexpr std::size_t kPoolGranule = 8;
#endif
inline constexpr std::size_t kPoolMaxSize = 1024;
inline constexpr std::size_t kPoolClasses = kPoolMaxSize / kPoolGranule + 1;

struct PoolBlock {
  PoolBlock* next;
};

#if AIO_POOL_SLABS

// A slab's header sits at its start; the slab is kPoolSlabSize-aligned, so
// a block finds its slab by masking its address.
inline constexpr std::size_t kPoolSlabSize = 16 * 1024;

struct PoolSlab {
  PoolBlock* free;  // blocks freed into this slab (LIFO)
  char* bump;       // the part never carved yet: [bump, end)
  char* end;
  PoolSlab* prev;  // in its class's list of partly used slabs
  PoolSlab* next;
  std::uint32_t live;  // blocks handed out and not freed
  std::uint16_t cls;
  // In its class's list, or the class's current slab: a free into it needs
  // no bookkeeping unless it was the slab's last block.
  bool accounted;
};

struct ThreadPool {
  PoolSlab* current[kPoolClasses];  // the slab each class allocates from
  PoolSlab* partial[kPoolClasses];  // others of the class with a free block
};

#else

struct ThreadPool {
  PoolBlock* free[kPoolClasses];
  char* bump;
  char* bump_end;
  std::size_t next_segment;  // bytes of the next segment (0: not started)
};

#endif

// Zero-initialised, trivially destructible: no TLS guard on access.
extern thread_local constinit ThreadPool t_pool;

// Carves a block of class `cls` from the current segment (or a new one);
// with slabs, from another slab of the class or a new one.
void* pool_refill(std::size_t cls);
#if AIO_POOL_SLABS
// A free that emptied slab `s`, or the first free into a full slab.
void pool_slab_changed(PoolSlab* s) noexcept;
#endif

struct PoolStats {
  std::size_t reserved;  // bytes of every segment made, by every thread
  // reserved minus the part of the calling thread's current segment not yet
  // carved (other threads' uncarved tails count as carved): what the pool's
  // blocks occupy, as malloc's in-use figure excludes its top chunk.
  std::size_t carved;
};
PoolStats pool_stats() noexcept;

AIO_POOL_INLINE void* pool_allocate(std::size_t n) {
#if AIO_POOL_ENABLED
  if (n <= kPoolMaxSize) {
    std::size_t cls = (n + kPoolGranule - 1) / kPoolGranule;
    ThreadPool& p = t_pool;
#if AIO_POOL_SLABS
    if (PoolSlab* s = p.current[cls]) {
      if (PoolBlock* b = s->free) {
        s->free = b->next;
        ++s->live;
        return b;
      }
      // No alignment step: the slab's first block is 16-aligned and its
      // blocks are all of one size (see kPoolGranule).
      std::size_t size = cls * kPoolGranule;
      if (static_cast<std::size_t>(s->end - s->bump) >= size) {
        char* b = s->bump;
        s->bump = b + size;
        ++s->live;
        return b;
      }
    }
#else
    if (PoolBlock* b = p.free[cls]) {
      p.free[cls] = b->next;
      return b;
    }
    std::size_t size = cls * kPoolGranule;
    // A 16-multiple size needs the bump pointer 16-aligned: (size & 8) == 0
    // then, and an odd 8 is skipped.
    char* b = p.bump + ((reinterpret_cast<std::uintptr_t>(p.bump) & 8) & ~size & 8);
    if (b && static_cast<std::size_t>(p.bump_end - b) >= size) {
      p.bump = b + size;
      return b;
    }
#endif
    return pool_refill(cls);
  }
#endif
  return ::operator new(n);
}

AIO_POOL_INLINE void pool_deallocate(void* ptr, std::size_t n) noexcept {
#if AIO_POOL_ENABLED
  if (n <= kPoolMaxSize) {
    auto* b = static_cast<PoolBlock*>(ptr);
#if AIO_POOL_SLABS
    auto* s = reinterpret_cast<PoolSlab*>(reinterpret_cast<std::uintptr_t>(ptr) & ~(kPoolSlabSize - 1));
    b->next = s->free;
    s->free = b;
    if (--s->live == 0 || !s->accounted) [[unlikely]]
      pool_slab_changed(s);
#else
    std::size_t cls = (n + kPoolGranule - 1) / kPoolGranule;
    ThreadPool& p = t_pool;
    b->next = p.free[cls];
    p.free[cls] = b;
#endif
    return;
  }
#endif
#ifdef __cpp_sized_deallocation
  ::operator delete(ptr, n);
#else
  ::operator delete(ptr);  // clang without -fsized-deallocation (the fuzz preset)
#endif
}

// Gives a class (and, through the promise type, a coroutine frame) pooled
// storage. Deletion must see the object's real size: use it in classes
// deleted through their own type or through a virtual destructor.
struct Pooled {
  static void* operator new(std::size_t n) { return pool_allocate(n); }
  static void operator delete(void* p, std::size_t n) noexcept { pool_deallocate(p, n); }
};

}  // namespace aio::detail
