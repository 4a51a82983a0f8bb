#include "aio/host.hpp"

#include <chrono>

namespace aio {

double Host::monotonic() const noexcept {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

bool Host::set_interrupt_handler(EventLoop&, std::function<void()>) { return false; }

}  // namespace aio
