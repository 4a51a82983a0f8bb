#pragma once
/// aio::testing::Counted: a value that counts its constructions and
/// destructions, to catch leaked or doubly destroyed coroutine frames and
/// results in tests (after cppcoro's test/counted.hpp).
#include <cstdint>

namespace aio::testing {

struct Counted {
  static inline std::int64_t constructed = 0;
  static inline std::int64_t destroyed = 0;
  static void reset() noexcept { constructed = destroyed = 0; }
  /// Objects alive now.
  static std::int64_t alive() noexcept { return constructed - destroyed; }

  int value = 0;
  Counted() noexcept { ++constructed; }
  explicit Counted(int v) noexcept : value(v) { ++constructed; }
  Counted(const Counted& o) noexcept : value(o.value) { ++constructed; }
  Counted(Counted&& o) noexcept : value(o.value) { ++constructed; }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) = default;
  ~Counted() { ++destroyed; }
};

}  // namespace aio::testing
