// asyncio's _FlowControlMixin (transports.py): see flow_control.hpp.
#include "flow_control.hpp"

#include <string>

#include "aio/net/errors.hpp"
#include "internal.hpp"

namespace aio::net::detail {

void WriteFlowControl::set_limits(long high, long low) {
  long h = high, l = low;
  if (h < 0) h = l < 0 ? static_cast<long>(kDefaultHigh) : 4 * l;
  if (l < 0) l = h / 4;
  if (!(h >= l && l >= 0))
    throw ValueError("high (" + std::to_string(h) + ") must be >= low (" + std::to_string(l) + ") must be >= 0");
  high_ = static_cast<std::size_t>(h);
  low_ = static_cast<std::size_t>(l);
}

void WriteFlowControl::pause(std::shared_ptr<BaseProtocol> protocol, EventLoop& loop, const BaseTransport& transport) {
  paused_ = true;
  try {
    protocol->pause_writing();
  } catch (...) {
    report_error(loop, "protocol.pause_writing() failed", std::current_exception(), &transport, protocol.get());
  }
}

void WriteFlowControl::resume(std::shared_ptr<BaseProtocol> protocol, EventLoop& loop, const BaseTransport& transport) {
  paused_ = false;
  try {
    protocol->resume_writing();
  } catch (...) {
    report_error(loop, "protocol.resume_writing() failed", std::current_exception(), &transport, protocol.get());
  }
}

}  // namespace aio::net::detail
