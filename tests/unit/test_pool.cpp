// The per-thread block pool (runtime/src/pool.cpp): alignment per size class,
// LIFO reuse, blocks freed on another thread, and segments that grow to
// 2 MiB-aligned huge-page candidates.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "aio/detail/pool.hpp"

namespace {

using aio::detail::pool_allocate;
using aio::detail::pool_deallocate;
using aio::detail::pool_stats;

#if AIO_POOL_ENABLED

TEST(Pool, SixteenMultiplesAreSixteenAlignedOthersEightAligned) {
  std::vector<std::pair<void*, std::size_t>> blocks;
  for (std::size_t n = 1; n <= 256; ++n) {
    void* p = pool_allocate(n);
    auto at = reinterpret_cast<std::uintptr_t>(p);
    EXPECT_EQ(at % 8, 0u) << n;
    if (n % 16 == 0) {
      EXPECT_EQ(at % 16, 0u) << n;
    }
    std::memset(p, 0xab, n);  // the whole block is ours
    blocks.emplace_back(p, n);
  }
  for (auto [p, n] : blocks) pool_deallocate(p, n);
}

TEST(Pool, TheBlockFreedLastIsTheNextOneOfItsClass) {
  void* a = pool_allocate(40);
  void* b = pool_allocate(40);
  pool_deallocate(a, 40);
  pool_deallocate(b, 40);
  EXPECT_EQ(pool_allocate(37), b);  // same class (40): LIFO
  EXPECT_EQ(pool_allocate(40), a);
  pool_deallocate(a, 40);
  pool_deallocate(b, 40);
}

TEST(Pool, LiveBlocksNeverOverlap) {
  std::vector<char*> blocks;
  std::set<char*> starts;
  for (int i = 0; i < 20000; ++i) {
    auto* p = static_cast<char*>(pool_allocate(96));
    ASSERT_TRUE(starts.insert(p).second);
    blocks.push_back(p);
  }
  std::sort(blocks.begin(), blocks.end());
  for (std::size_t i = 1; i < blocks.size(); ++i) EXPECT_GE(blocks[i] - blocks[i - 1], 96);
  for (char* p : blocks) pool_deallocate(p, 96);
}

TEST(Pool, ABlockFreedOnAnotherThreadJoinsThatThreadsLists) {
  void* p = pool_allocate(64);
  void* reused = nullptr;
  std::thread([&] {
    pool_deallocate(p, 64);
    reused = pool_allocate(64);  // the block freed last on this thread
    pool_deallocate(reused, 64);
  }).join();
  EXPECT_EQ(reused, p);
}

TEST(Pool, SegmentsGrowToHugePageSizedAlignedOnes) {
  // A fresh thread starts with a small segment; carving ~8 MiB takes it
  // through the doubling sizes to 2 MiB segments on 2 MiB boundaries.
  std::size_t reserved_before = pool_stats().reserved;
  std::vector<std::uintptr_t> addresses;
  std::size_t carved_growth = 0;
  std::thread([&] {
    std::size_t carved0 = pool_stats().carved;
    for (int i = 0; i < 8 * 1024; ++i) addresses.push_back(reinterpret_cast<std::uintptr_t>(pool_allocate(1024)));
    carved_growth = pool_stats().carved - carved0;
    for (auto a : addresses) pool_deallocate(reinterpret_cast<void*>(a), 1024);
  }).join();
  std::size_t reserved_growth = pool_stats().reserved - reserved_before;
  EXPECT_GE(carved_growth, 8u * 1024 * 1024);
  EXPECT_LE(carved_growth, reserved_growth);
  EXPECT_LT(reserved_growth, 8u * 1024 * 1024 + 2 * 2 * 1024 * 1024);  // at most the last segment's rest (and the small ones' edges) unused
  // Some 2 MiB-aligned range holds 2,048 blocks of 1 KiB: a whole segment
  // on a huge-page boundary (4 KiB-page segments are not aligned like that,
  // and are smaller).
  std::map<std::uintptr_t, std::size_t> per_range;
  for (auto a : addresses) ++per_range[a & ~std::uintptr_t(2 * 1024 * 1024 - 1)];
  std::size_t fullest = 0;
  for (auto [range, count] : per_range) fullest = std::max(fullest, count);
  EXPECT_EQ(fullest, 2048u);
}

#else

TEST(Pool, BypassedBlocksComeFromOperatorNew) {
  // ASan and WebAssembly builds: the pool is plain operator new/delete, and
  // reserves nothing.
  std::size_t before = pool_stats().reserved;
  void* p = pool_allocate(48);
  std::memset(p, 0, 48);
  pool_deallocate(p, 48);
  EXPECT_EQ(pool_stats().reserved, before);
}

#endif

}  // namespace
