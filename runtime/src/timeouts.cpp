#include "aio/timeouts.hpp"

#include <cmath>
#include <cstdio>

namespace aio {

Timeout::~Timeout() {
  // The timer points at this object.
  if (has_handler_) handler_.cancel();
}

void Timeout::reschedule(std::optional<double> when) {
  if (state_ == State::created) throw RuntimeError("Timeout has not been entered", "call reschedule() inside run()");
  if (state_ != State::entered) {
    const char* name = state_ == State::expiring ? "expiring" : state_ == State::expired ? "expired" : "finished";
    throw RuntimeError(std::string("Cannot change state of ") + name + " Timeout");
  }
  when_ = when;
  if (has_handler_) handler_.cancel();
  has_handler_ = false;
  if (!when) return;
  EventLoop& loop = get_running_loop();
  auto fire = [this] { on_timeout(); };
  static_assert(detail::Callback::fits_inline<decltype(fire)>, "every timeout's handle would allocate twice");
  if (*when <= loop.time())
    handler_ = loop.call_soon(fire, "timeout");
  else
    handler_ = loop.call_at(*when, fire, "timeout");
  has_handler_ = true;
}

std::string Timeout::repr() const {
  static const char* const names[] = {"created", "active", "expiring", "expired", "finished"};
  std::string s = std::string("<Timeout [") + names[static_cast<int>(state_)] + "]";
  if (state_ == State::entered) {
    if (when_) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", std::round(*when_ * 1000) / 1000);
      s += std::string(" when=") + buf;
    } else {
      s += " when=None";
    }
  }
  return s + ">";
}

void Timeout::enter() {
  if (state_ != State::created) throw RuntimeError("Timeout " + repr() + " has already been entered");
  // asyncio: entered only once there is a task to cancel.
  task_ = current_task();
  if (!task_) throw RuntimeError("Timeout should be used inside a task");
  state_ = State::entered;
  cancelling_ = task_.cancelling();
  reschedule(when_);
}

void Timeout::exit(const std::exception_ptr& exc) {
  if (has_handler_) {
    handler_.cancel();
    handler_ = Handle();
    has_handler_ = false;
  }
  if (state_ == State::expiring) {
    state_ = State::expired;
    // Only the outermost expired scope with no other cancel request made
    // since it was entered turns the CancelledError into TimeoutError. The
    // comparison is with cancelling() on entry, not 0 (CPython 3.11.3+,
    // gh-102780): a task that swallowed an earlier cancellation without
    // uncancel() must still get TimeoutError from a timeout it enters later.
    if (task_.uncancel() <= cancelling_ && is_cancelled_error(exc)) throw TimeoutError();
  } else if (state_ == State::entered) {
    state_ = State::exited;
  }
}

void Timeout::on_timeout() {
  task_.cancel();
  state_ = State::expiring;
  has_handler_ = false;  // the handle has run: drop it early, as asyncio does
  handler_ = Handle();
}

Timeout timeout(std::optional<double> delay) {
  EventLoop& loop = get_running_loop();
  return Timeout(delay ? std::optional<double>(loop.time() + *delay) : std::nullopt);
}

Timeout timeout_at(std::optional<double> when) { return Timeout(when); }

}  // namespace aio
