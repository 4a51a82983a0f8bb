#include "aio/detail/loop_bound.hpp"

#include <cstdio>

namespace aio {
namespace detail {

std::string address_of(const void* p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%p", p);
  return buf;
}

}  // namespace detail
}  // namespace aio
