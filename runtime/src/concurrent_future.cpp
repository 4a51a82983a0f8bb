#include "aio/concurrent_future.hpp"

#include <chrono>
#include <cstdio>

namespace aio::detail {

// A line-by-line port of concurrent.futures.Future (Lib/concurrent/futures/
// _base.py), whose CANCELLED_AND_NOTIFIED state is folded into `cancelled`:
// nothing here waits on groups of futures (as_completed/wait) to notify.

bool ConcurrentCore::cancel() {
  std::unique_lock lock(mutex_);
  if (state_ == State::running || state_ == State::finished) return false;
  if (state_ == State::cancelled) return true;
  state_ = State::cancelled;
  cv_.notify_all();
  invoke_callbacks(lock);
  return true;
}

bool ConcurrentCore::cancelled() const {
  std::lock_guard lock(mutex_);
  return state_ == State::cancelled;
}

bool ConcurrentCore::running() const {
  std::lock_guard lock(mutex_);
  return state_ == State::running;
}

bool ConcurrentCore::done() const {
  std::lock_guard lock(mutex_);
  return state_ == State::cancelled || state_ == State::finished;
}

bool ConcurrentCore::set_running_or_notify_cancel() {
  std::lock_guard lock(mutex_);
  if (state_ == State::cancelled) return false;
  if (state_ == State::pending) {
    state_ = State::running;
    return true;
  }
  throw RuntimeError("Future in unexpected state: set_running_or_notify_cancel() is called once, before the result");
}

void ConcurrentCore::ensure_settable(const char* operation) const {
  if (state_ == State::cancelled || state_ == State::finished)
    throw InvalidStateError(std::string("ConcurrentFuture.") + operation + "(): the future is already " +
                            (state_ == State::cancelled ? "cancelled" : "finished"));
}

void ConcurrentCore::set_exception(std::exception_ptr e) {
  std::unique_lock lock(mutex_);
  ensure_settable("set_exception");
  exc_ = std::move(e);
  finish_locked(lock);
}

void ConcurrentCore::finish_locked(std::unique_lock<std::mutex>& lock) {
  state_ = State::finished;
  cv_.notify_all();
  invoke_callbacks(lock);
}

void ConcurrentCore::invoke_callbacks(std::unique_lock<std::mutex>& lock) noexcept {
  // Called outside the lock, as CPython does, so a callback may look at the
  // future (or add another callback, which then runs at once).
  std::vector<Callback> callbacks = std::move(callbacks_);
  callbacks_.clear();
  lock.unlock();
  for (auto& cb : callbacks) {
    try {
      cb();
    } catch (...) {
      std::fprintf(stderr, "exception calling callback for <ConcurrentFuture>\n%s\n",
                   describe_exception(std::current_exception()).c_str());
    }
    cb.reset();  // its captures go now, not after the other callbacks
  }
}

void ConcurrentCore::add_done_callback(Callback cb) {
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::cancelled && state_ != State::finished) {
      callbacks_.push_back(std::move(cb));
      return;
    }
  }
  try {
    cb();
  } catch (...) {
    std::fprintf(stderr, "exception calling callback for <ConcurrentFuture>\n%s\n",
                 describe_exception(std::current_exception()).c_str());
  }
}

void ConcurrentCore::wait_done(std::unique_lock<std::mutex>& lock, std::optional<double> timeout) {
  auto is_done = [this] { return state_ == State::cancelled || state_ == State::finished; };
  if (!timeout) {
    cv_.wait(lock, is_done);
    return;
  }
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(*timeout > 0 ? *timeout : 0));
  if (!cv_.wait_until(lock, deadline, is_done)) throw TimeoutError();
}

void ConcurrentCore::check_result(std::optional<double> timeout) {
  std::unique_lock lock(mutex_);
  wait_done(lock, timeout);
  if (state_ == State::cancelled) throw CancelledError();
  if (exc_) std::rethrow_exception(exc_);
}

std::exception_ptr ConcurrentCore::exception(std::optional<double> timeout) {
  std::unique_lock lock(mutex_);
  wait_done(lock, timeout);
  if (state_ == State::cancelled) throw CancelledError();
  return exc_;
}

}  // namespace aio::detail
