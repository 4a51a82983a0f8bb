#include "manual_host.hpp"

namespace aio::hosts {

void ManualHost::poll(EventLoop&, double) { ++polls_; }

void ManualHost::wake() noexcept { wakes_.fetch_add(1, std::memory_order_relaxed); }

}  // namespace aio::hosts
