#include "aio/executor.hpp"

#include <algorithm>
#include <cstdio>

#include "aio/errors.hpp"
#include "aio/shield.hpp"
#include "aio/task.hpp"  // Future<T>::throw_invalid_set (used by set_result) is defined there
#include "aio/wait_for.hpp"

namespace aio {

namespace {
// The pool (its shared state) whose worker this thread is: a worker must not
// wait for itself in shutdown(true), whether or not another caller is
// joining the workers yet.
thread_local const void* current_pool = nullptr;
}  // namespace

ThreadPoolExecutor::ThreadPoolExecutor(std::size_t max_workers)
    : max_workers_(max_workers ? max_workers
                               : std::min<std::size_t>(32, std::max(1u, std::thread::hardware_concurrency()) + 4)) {}

ThreadPoolExecutor::~ThreadPoolExecutor() {
  State& s = *state_;
  if (current_pool != &s) {
    shutdown(true);
    return;
  }
  // Destroyed by a job of its own (see the header): shutdown(true) would
  // raise in a destructor, which terminates. This worker is detached, and
  // exits after the job (the state is shared); the other workers are joined
  // unless another caller of shutdown(true) has them, and that one joins
  // this worker too, so it is not waited for here.
  std::unique_lock lock(s.mutex);
  s.shutdown = true;
  s.cv.notify_all();
  auto self = std::find_if(s.threads.begin(), s.threads.end(),
                           [](const std::thread& t) { return t.get_id() == std::this_thread::get_id(); });
  if (self == s.threads.end()) return;
  self->detach();
  s.threads.erase(self);
  join_workers(s, lock);
}

void ThreadPoolExecutor::submit(detail::Callback job) {
#if !AIO_HAS_THREADS
  throw RuntimeError(detail::kNoThreadsMessage);
#endif
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  if (s.shutdown) throw RuntimeError("cannot schedule new futures after shutdown");
  s.jobs.push_back(std::move(job));
  // CPython's _adjust_thread_count: idle is its idle semaphore. Taking a
  // count means an idle worker will pick this job up; otherwise start a
  // worker, up to the limit. Counting without taking would let two quick
  // submits both rely on the same idle worker and run one after the other.
  if (s.idle > 0) {
    --s.idle;
  } else if (s.threads.size() < max_workers_) {
    s.threads.emplace_back([state = state_] { worker(state); });
  }
  lock.unlock();
  s.cv.notify_one();
}

void ThreadPoolExecutor::worker(std::shared_ptr<State> state) {
  State& s = *state;
  current_pool = &s;
  std::unique_lock lock(s.mutex);
  for (;;) {
    s.cv.wait(lock, [&s] { return s.shutdown || !s.jobs.empty(); });
    if (s.jobs.empty()) return;  // shut down and drained
    detail::Callback job = std::move(s.jobs.front());
    s.jobs.pop_front();
    lock.unlock();
    try {
      job();
    } catch (...) {
      // Jobs report their own errors (run_in_executor stores them in the
      // job's future); one that throws anyway must not take the worker down.
    }
    job.reset();  // destroy captures outside the lock (they may destroy the executor)
    lock.lock();
    ++s.idle;  // CPython releases the idle semaphore after every job
  }
}

Future<void> shutdown_default_executor(EventLoop& loop) {
  std::shared_ptr<Executor> executor = loop.default_executor_if_made();
#if AIO_HAS_THREADS
  if (executor) {
    // CPython's _do_shutdown: join on a thread of its own, then tell the loop.
    // The loop keeps a way to wait for that thread (close() does): it hands
    // its result to the loop, which must still be there. A second call's
    // thread waits for the first one's.
    ConcurrentFuture<void> joined;
    auto joiner = std::make_shared<std::thread>([executor, joined, previous = loop.take_executor_joiner()]() mutable {
      if (previous) previous();
      try {
        executor->shutdown(true);
        joined.set_result();
      } catch (...) {
        joined.set_exception(std::current_exception());
      }
    });
    loop.set_executor_joiner([joiner] {
      if (joiner->joinable()) joiner->join();
    });
    return wrap_future(loop, std::move(joined), /*sole_reader=*/true);
  }
#else
  if (executor) executor->shutdown(true);  // it never started a thread
#endif
  Future<void> done = loop.create_future<void>();
  done.set_result();
  return done;
}

// CPython 3.12's: `async with timeout(timeout): await future`, the warning
// on TimeoutError. The join goes on (shielded): close() waits for it.
Task<void> shutdown_default_executor(EventLoop& loop, double timeout) {
  Future<void> joining = shield(shutdown_default_executor(loop));
  try {
    co_await wait_for(std::move(joining), timeout);
  } catch (const TimeoutError&) {
    std::fprintf(stderr, "RuntimeWarning: The executor did not finishing joining its threads within %g seconds.\n",
                 timeout);
  }
}

void ThreadPoolExecutor::shutdown(bool wait) {
  State& s = *state_;
  std::unique_lock lock(s.mutex);
  s.shutdown = true;
  s.cv.notify_all();
  if (!wait) return;
  if (current_pool == &s)
    throw RuntimeError(
        "shutdown(wait=true) called from one of the executor's own workers would wait for itself; "
        "call shutdown(false) there, or shut the executor down from another thread");
  join_workers(s, lock);
  // Every shutdown(true) returns only after the workers exited, as in
  // Python, where each caller joins each thread.
  s.joined.wait(lock, [&s] { return s.joining == 0; });
}

// A std::thread is joined once, so the first caller joins the workers and
// later callers (another thread, or the destructor) wait for it to finish.
void ThreadPoolExecutor::join_workers(State& s, std::unique_lock<std::mutex>& lock) {
  if (s.threads.empty()) return;
  std::vector<std::thread> threads = std::move(s.threads);
  s.threads.clear();
  ++s.joining;
  lock.unlock();
  for (auto& t : threads) t.join();
  lock.lock();
  --s.joining;
  s.joined.notify_all();
}

}  // namespace aio
