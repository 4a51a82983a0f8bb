// The huge-page arrays (aio/detail/huge_pages.hpp): small ones grow as a
// std::vector does, big ones take whole, aligned huge pages and keep their
// elements across growth.
#include "aio/detail/huge_pages.hpp"

#include <gtest/gtest.h>

#include <cstdint>

using aio::detail::HugeVector;
using aio::detail::kHugeArrayMin;
using aio::detail::kHugePage;
using aio::detail::reserve_for_push;

namespace {

struct Entry {
  double when;
  std::uintptr_t item;
};

TEST(HugePages, SmallArraysDoubleLikeAVector) {
  HugeVector<Entry> v;
  std::size_t last = 0;
  for (int i = 0; i < 1000; ++i) {
    reserve_for_push(v);
    v.push_back({double(i), std::uintptr_t(i)});
    if (v.capacity() != last) {
      if (last) {
        EXPECT_EQ(v.capacity(), 2 * last);
      }
      last = v.capacity();
    }
  }
  EXPECT_LT(v.capacity() * sizeof(Entry), kHugeArrayMin);
}

TEST(HugePages, BigArraysTakeWholeAlignedHugePages) {
  HugeVector<Entry> v;
  const std::size_t n = 3 * kHugePage / sizeof(Entry);  // 6 MiB of entries
  for (std::size_t i = 0; i < n; ++i) {
    reserve_for_push(v);
    v.push_back({double(i), i});
    if (v.capacity() * sizeof(Entry) >= kHugeArrayMin && AIO_HUGE_ARRAYS) {
      // Growth fills the rounding up of the mapping, so no mapped byte is wasted.
      ASSERT_EQ(v.capacity() * sizeof(Entry) % kHugePage, 0u) << v.capacity();
      ASSERT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % kHugePage, 0u);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(v[i].item, i);
    ASSERT_EQ(v[i].when, double(i));
  }
  HugeVector<Entry> moved = std::move(v);  // the allocator goes with the array
  EXPECT_EQ(moved.size(), n);
  moved.clear();
  moved.shrink_to_fit();  // unmaps it (ASan and LeakSanitizer see no malloc block leak)
  EXPECT_EQ(moved.capacity(), 0u);
}

}  // namespace
