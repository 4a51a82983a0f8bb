// A line-by-line port of asyncio.Barrier (CPython 3.11 Lib/asyncio/locks.py).
#include "aio/sync/barrier.hpp"

namespace aio {

Barrier::Barrier(int parties) : parties_(parties) {
  if (parties < 1) throw ValueError("parties must be > 0");
}

Task<int> Barrier::wait() {
  // async with self._cond:
  co_await cond_.acquire();
  std::exception_ptr error;
  int index = 0;
  try {
    co_await block();  // while the barrier drains or resets
    index = count_;
    ++count_;
    try {
      if (index + 1 == parties_)
        release_all();  // the last arrival releases the others
      else
        co_await wait_released();
    } catch (...) {
      --count_;
      exit_round();
      throw;
    }
    --count_;
    exit_round();
  } catch (...) {
    error = std::current_exception();
  }
  cond_.release();
  if (error) std::rethrow_exception(error);
  co_return index;
}

Task<void> Barrier::block() {
  co_await cond_.wait_for([this] { return state_ != State::draining && state_ != State::resetting; });
  if (state_ == State::broken) throw BrokenBarrierError("Barrier aborted");
}

void Barrier::release_all() {
  // Draining: new arrivals wait in block() until everyone of this round left.
  state_ = State::draining;
  cond_.notify_all();
}

Task<void> Barrier::wait_released() {
  co_await cond_.wait_for([this] { return state_ != State::filling; });
  if (state_ == State::broken || state_ == State::resetting)
    throw BrokenBarrierError("Abort or reset of barrier");
}

void Barrier::exit_round() {
  // The last task out of a drained or reset round lets the next round fill.
  if (count_ == 0) {
    if (state_ == State::resetting || state_ == State::draining) state_ = State::filling;
    cond_.notify_all();
  }
}

Task<void> Barrier::reset() {
  co_await cond_.acquire();
  if (count_ > 0) {
    if (state_ != State::resetting) state_ = State::resetting;  // wakes the waiters with an error
  } else {
    state_ = State::filling;
  }
  cond_.notify_all();
  cond_.release();
}

Task<void> Barrier::abort() {
  co_await cond_.acquire();
  state_ = State::broken;
  cond_.notify_all();
  cond_.release();
}

std::string Barrier::describe() const {
  static const char* const names[] = {"filling", "draining", "resetting", "broken"};
  std::string extra = names[static_cast<int>(state_)];
  if (!broken()) extra += ", waiters:" + std::to_string(n_waiting()) + "/" + std::to_string(parties_);
  return "<Barrier object at " + detail::address_of(this) + " [" + extra + "]>";
}

}  // namespace aio
