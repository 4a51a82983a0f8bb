// Huge-page mappings for big arrays and pool segments (see aio/detail/huge_pages.hpp).
#include "aio/detail/huge_pages.hpp"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace aio::detail {

#if defined(__linux__)

void* map_huge_pages(std::size_t bytes) noexcept {
  // A huge page needs a 2 MiB-aligned range: map a huge page more and unmap
  // the ends around the aligned part.
  std::size_t span = bytes + kHugePage;
  void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  auto base = reinterpret_cast<std::uintptr_t>(raw);
  auto aligned = (base + kHugePage - 1) & ~(std::uintptr_t(kHugePage) - 1);
  if (aligned > base) ::munmap(raw, aligned - base);
  if (std::uintptr_t end = base + span, used_end = aligned + bytes; end > used_end)
    ::munmap(reinterpret_cast<void*>(used_end), end - used_end);
#if defined(MADV_HUGEPAGE)
  ::madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);  // a hint: failure is harmless
#endif
  return reinterpret_cast<void*>(aligned);
}

void unmap_huge_pages(void* p, std::size_t bytes) noexcept { ::munmap(p, bytes); }

#else

void* map_huge_pages(std::size_t) noexcept { return nullptr; }
void unmap_huge_pages(void*, std::size_t) noexcept {}

#endif

}  // namespace aio::detail
