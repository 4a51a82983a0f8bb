#pragma once
// Bytes of heap in use, for the memory measurements of the benchmarks and
// the tests: malloc's small blocks (uordblks) and blocks big enough to be
// mmapped on their own (hblkhd), plus what the runtime's pool has carved from
// its segments (mapped directly, so malloc never sees them; the uncarved rest
// of the current segment is left out, as malloc's top chunk is).
#include <malloc.h>

#include "aio/detail/pool.hpp"

namespace aio_test {

inline double heap_in_use() {
  struct mallinfo2 mi = ::mallinfo2();
  return double(mi.uordblks) + double(mi.hblkhd) + double(aio::detail::pool_stats().carved);
}

}  // namespace aio_test
