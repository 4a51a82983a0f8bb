#pragma once
// What a future holds instead of a pointer to its loop.
//
// Futures and tasks someone holds may outlive their loop (a Task declared
// before the EventLoop in the same scope is destroyed after it). In asyncio
// they keep the loop alive; in C++ the loop goes when its owner says so. So a
// future reaches its loop through the loop's anchor, which the loop clears
// when it is destroyed and which stays until the last future bound to it
// goes: a future can always tell whether its loop still exists, and where a
// method would need the loop it reports or raises instead of touching freed
// memory. One pointer per future, as the bare loop pointer was; the count
// is not atomic because futures, like their loop, belong to one thread.
#include <cstddef>

namespace aio {
class EventLoop;
}

namespace aio::detail {

struct LoopAnchor {
  EventLoop* loop;        // null once the loop is destroyed
  std::size_t refs = 1;   // the loop's own reference, plus one per bound future

  /// Drops one reference, the loop's or a future's; the last frees the anchor.
  void release() noexcept {
    if (--refs == 0) delete this;
  }
};

}  // namespace aio::detail
