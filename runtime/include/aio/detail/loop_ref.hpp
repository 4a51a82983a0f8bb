#pragma once
// A counted reference to a loop's anchor (detail/loop_anchor.hpp), for what
// is not a future but may outlive its loop as well: a Server or a transport
// someone still holds a shared_ptr to after the loop was destroyed. Like a
// future's, the count is not atomic: these objects belong to the loop's thread.
#include <string>

#include "aio/detail/loop_anchor.hpp"
#include "aio/errors.hpp"

namespace aio::detail {

class LoopRef {
 public:
  explicit LoopRef(LoopAnchor* anchor) noexcept : a_(anchor) { ++a_->refs; }
  LoopRef(const LoopRef& o) noexcept : a_(o.a_) { ++a_->refs; }
  LoopRef& operator=(const LoopRef&) = delete;
  ~LoopRef() { a_->release(); }
  /// The loop, or null once it was destroyed.
  EventLoop* get() const noexcept { return a_->loop; }
  /// The loop (closed or not), or RuntimeError saying that `what` outlived it.
  EventLoop& get_or_raise(const char* what) const {
    if (EventLoop* loop = get()) return *loop;
    throw RuntimeError(std::string("Event loop is closed: this ") + what +
                       " outlived its event loop (it was destroyed)");
  }

 private:
  LoopAnchor* a_;
};

}  // namespace aio::detail
