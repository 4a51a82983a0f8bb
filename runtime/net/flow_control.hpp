// Write flow control shared by the stream and the datagram transports:
// asyncio's transports._FlowControlMixin, which both _SelectorSocketTransport
// and _SelectorDatagramTransport inherit.
#pragma once
#include <cstddef>
#include <memory>
#include <utility>

#include "aio/event_loop.hpp"
#include "aio/net/protocols.hpp"

namespace aio::net::detail {

/// The high- and low-water marks of a transport's write buffer, and whether
/// its protocol has been told to pause. The buffer stays the transport's: it
/// reports the buffer's size after each change, and this calls the
/// protocol's pause_writing() once when the size goes over the high-water
/// mark, and resume_writing() once when it is back at the low-water mark.
///
/// Neither the marks nor the pause bound the buffer: a protocol that ignores
/// pause_writing() and keeps writing makes it grow, as in asyncio. Bounding
/// it is the protocol's policy (the servers of `aio serve` stop reading
/// while paused; runtime/docs/net.md, "What a bad peer can and cannot do").
class WriteFlowControl {
 public:
  static constexpr std::size_t kDefaultHigh = 64 * 1024;

  /// Transport.set_write_buffer_limits(high, low), with our convention for
  /// asyncio's None: high < 0 is 64 KiB, or 4 * low if low was given; low < 0
  /// is high / 4. ValueError unless high >= low >= 0. Does not pause: the
  /// caller checks its buffer against the new marks (asyncio does the same).
  void set_limits(long high, long low);
  /// (low, high), asyncio's order.
  std::pair<std::size_t, std::size_t> limits() const noexcept { return {low_, high_}; }
  /// Whether the protocol was told to pause (asyncio's _protocol_paused).
  bool paused() const noexcept { return paused_; }

  /// The buffer grew to `size`: pause_writing() if it is over the high-water
  /// mark and the protocol is not paused yet. An exception from
  /// pause_writing() goes to the loop's exception handler, with `transport`
  /// (the one whose buffer this is) and the protocol as asyncio's keys.
  /// (A template so that the fast path does not convert the shared_ptr.)
  template <class P>
  void maybe_pause(std::size_t size, const std::shared_ptr<P>& protocol, EventLoop& loop,
                   const BaseTransport& transport) {
    if (size > high_ && !paused_ && protocol) pause(protocol, loop, transport);
  }
  /// The buffer shrank to `size`: resume_writing() if it is at or under the
  /// low-water mark and the protocol is paused.
  template <class P>
  void maybe_resume(std::size_t size, const std::shared_ptr<P>& protocol, EventLoop& loop,
                    const BaseTransport& transport) {
    if (size <= low_ && paused_ && protocol) resume(protocol, loop, transport);
  }

 private:
  // By value: the protocol stays alive through its callback even if the
  // callback replaces it (set_protocol) or closes the transport.
  void pause(std::shared_ptr<BaseProtocol> protocol, EventLoop& loop, const BaseTransport& transport);
  void resume(std::shared_ptr<BaseProtocol> protocol, EventLoop& loop, const BaseTransport& transport);

  std::size_t high_ = kDefaultHigh;
  std::size_t low_ = kDefaultHigh / 4;
  bool paused_ = false;
};

}  // namespace aio::net::detail
