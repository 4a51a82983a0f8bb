// Does the compiler destroy a temporary made by aggregate initialisation (or
// a lambda expression) in a co_await expression exactly once? g++ 12.2 (the
// default of Debian 12) destroys it twice when the awaiting coroutine
// suspends: a lambda capturing a shared_ptr by value, passed straight to a
// call inside co_await, releases the pointer twice. clang 14 is correct, and
// so is a temporary made by a constructor call. Exit status: 0 correct, 1 not.
#include <coroutine>
#include <memory>

struct Task {
  struct promise_type {
    std::coroutine_handle<> continuation;
    Task get_return_object() { return Task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct Final {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        auto c = h.promise().continuation;
        return c ? c : std::noop_coroutine();
      }
      void await_resume() noexcept {}
    };
    Final final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
  std::coroutine_handle<promise_type> handle;
  ~Task() {
    if (handle) handle.destroy();
  }
  bool await_ready() { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> c) {
    handle.promise().continuation = c;
    return handle;
  }
  void await_resume() {}
};

struct Holder {
  std::shared_ptr<int> p;
};

Task take(Holder) { co_return; }

Task caller(std::shared_ptr<int> p) { co_await take(Holder{p}); }

int main() {
  auto p = std::make_shared<int>(0);
  std::weak_ptr<int> watch = p;
  {
    Task t = caller(p);
    t.handle.resume();
  }
  // Only `p` should own it now; a double destruction released it once more
  // (use_count 0, or garbage if the block was freed and reused).
  return watch.use_count() == 1 ? 0 : 1;
}
