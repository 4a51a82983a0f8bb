#pragma once
// Pieces shared by the synchronisation primitives and queues: asyncio's
// mixins._LoopBoundMixin and the deque-of-futures bookkeeping of locks.py.
#include <algorithm>
#include <list>
#include <string>

#include "aio/errors.hpp"
#include "aio/event_loop.hpp"
#include "aio/future.hpp"

namespace aio {
namespace detail {

/// asyncio's _LoopBoundMixin: a primitive binds to the loop that first needs
/// it (to create a waiter future) and refuses every other loop afterwards.
/// `Self` provides `describe()` for the error message.
template <class Self>
class LoopBound {
 protected:
  // mixins._LoopBoundMixin._get_loop. Raises RuntimeError outside a running
  // loop, or when the primitive was first used by another loop.
  EventLoop& bound_loop() {
    EventLoop& loop = get_running_loop();
    if (!loop_) loop_ = &loop;
    if (&loop != loop_)
      throw RuntimeError(static_cast<const Self*>(this)->describe() +
                         " is bound to a different event loop; create one per loop and use it only there");
    return loop;
  }

 private:
  EventLoop* loop_ = nullptr;
};

/// The waiters of a primitive, oldest first: asyncio's collections.deque of
/// futures. A list rather than a deque because an idle primitive must not
/// allocate (libstdc++'s std::deque allocates on construction).
using WaiterList = std::list<Future<void>>;

/// `waiters.remove(fut)`: drops the first entry that is `fut`; returns whether
/// there was one (Python raises ValueError where this returns false).
inline bool remove_waiter(WaiterList& waiters, const Future<void>& fut) noexcept {
  auto it = std::find(waiters.begin(), waiters.end(), fut);
  if (it == waiters.end()) return false;
  waiters.erase(it);
  return true;
}

/// "0x55d0c0ffee00", for the `at 0x...` of a primitive's repr.
std::string address_of(const void* p);

}  // namespace detail
}  // namespace aio
