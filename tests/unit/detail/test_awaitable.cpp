// Bare awaitables (detail/awaitable.hpp): the awaiters of aio::sleep() and
// Event::wait(), and awaiters users write, go where asyncio takes a coroutine.
// The order of events against CPython is checked by conformance 153.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"

namespace {

aio::EventLoop::Options virtual_clock() { return aio::EventLoop::Options{aio::Clock::virtual_time, false}; }

static_assert(aio::detail::BareAwaitable<aio::detail::SleepAwaiter<void>>);
static_assert(aio::detail::BareAwaitable<aio::detail::EventWaiter>);
// Futures and tasks keep their own paths (a task given to create_task is the
// same task, not a new one awaiting it).
static_assert(!aio::detail::BareAwaitable<aio::Task<int>>);
static_assert(!aio::detail::BareAwaitable<aio::Future<int>>);
static_assert(!aio::detail::BareAwaitable<int>);

// An awaiter a user might write: resumes through the loop with a value.
struct AnswerLater {
  int value;
  bool await_ready() const noexcept { return false; }
  void await_suspend(aio::coro::coroutine_handle<> h) {
    aio::get_running_loop().call_later(1, [h]() mutable { h.resume(); });
  }
  int await_resume() const noexcept { return value; }
};

// An awaitable through a member operator co_await.
struct Delayed {
  double delay;
  auto operator co_await() && { return aio::sleep(delay, std::string("delayed")); }
};

static_assert(aio::detail::BareAwaitable<Delayed>);
static_assert(std::is_same_v<aio::detail::await_result_t<Delayed>, std::string>);

TEST(BareAwaitable, RunsAsATaskOfItsOwnWithItsResult) {
  aio::EventLoop loop(virtual_clock());
  auto task = loop.create_task(aio::sleep(2, 42), "answer");
  EXPECT_EQ(task.get_name(), "answer");
  EXPECT_FALSE(task.done());
  EXPECT_EQ(loop.run_until_complete(task), 42);
  EXPECT_DOUBLE_EQ(loop.time(), 2);
  loop.close();
}

TEST(BareAwaitable, UserAwaitersAndOperatorCoAwait) {
  aio::EventLoop loop(virtual_clock());
  auto both = loop.run_until_complete([]() -> aio::Task<std::string> {
    auto [n, s] = co_await aio::gather(AnswerLater{7}, Delayed{3});
    co_return std::to_string(n) + " " + s;
  }());
  EXPECT_EQ(both, "7 delayed");
  EXPECT_DOUBLE_EQ(loop.time(), 3);
  loop.close();
}

TEST(BareAwaitable, TasksWaitingOnAnEvent) {
  aio::EventLoop loop(virtual_clock());
  loop.run_until_complete([]() -> aio::Task<void> {
    aio::Event ev;
    auto a = aio::create_task(ev.wait());
    auto b = aio::create_task(ev.wait());
    co_await aio::sleep(1);
    EXPECT_FALSE(a.done());
    ev.set();
    EXPECT_TRUE(co_await a);
    EXPECT_TRUE(co_await b);
  }());
  loop.close();
}

TEST(BareAwaitable, WaitForTimesOutAndCancelsTheSleep) {
  aio::EventLoop loop(virtual_clock());
  loop.run_until_complete([]() -> aio::Task<void> {
    EXPECT_THROW(co_await aio::wait_for(aio::sleep(10), 1), aio::TimeoutError);
    EXPECT_DOUBLE_EQ(aio::get_running_loop().time(), 1);
    // Nothing is left scheduled: the sleep's task was cancelled and finished.
    EXPECT_EQ(aio::all_tasks().size(), 1u);
  }());
  loop.close();
}

TEST(BareAwaitable, TaskGroupThatIsNotRunningRefusesIt) {
  aio::EventLoop loop(virtual_clock());
  loop.run_until_complete([]() -> aio::Task<void> {
    aio::TaskGroup tg;
    EXPECT_THROW((void)tg.create_task(aio::sleep(1)), aio::RuntimeError);
    EXPECT_EQ(aio::all_tasks().size(), 1u);
    co_return;
  }());
  loop.close();
}

TEST(BareAwaitable, ClosedLoopRefusesItBeforeWrapping) {
  aio::EventLoop loop(virtual_clock());
  loop.close();
  EXPECT_THROW((void)loop.create_task(aio::sleep(1)), aio::RuntimeError);
  EXPECT_THROW(loop.run_until_complete(aio::sleep(1)), aio::RuntimeError);
}

TEST(BareAwaitable, RunAndRunner) {
  aio::EventLoop::Options options = virtual_clock();
  EXPECT_EQ(aio::run(aio::sleep(5, std::string("done")), options), "done");
  aio::Runner runner(options);
  EXPECT_EQ(runner.run(AnswerLater{3}), 3);
  EXPECT_DOUBLE_EQ(runner.get_loop().time(), 1);
}

TEST(BareAwaitable, AsCompletedAndGatherOverLists) {
  aio::EventLoop loop(virtual_clock());
  auto order = loop.run_until_complete([]() -> aio::Task<std::vector<int>> {
    std::vector<aio::detail::SleepAwaiter<int>> sleeps;
    for (int d : {3, 1, 2}) sleeps.push_back(aio::sleep(d, d));
    std::vector<int> seen;
    for (auto next : aio::as_completed(std::move(sleeps))) seen.push_back(co_await next);
    std::vector<aio::detail::SleepAwaiter<int>> more;
    for (int d : {2, 1}) more.push_back(aio::sleep(d, d * 10));
    for (auto r : co_await aio::gather(aio::return_exceptions, std::move(more))) seen.push_back(r.value());
    co_return seen;
  }());
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3, 20, 10}));
  loop.close();
}

}  // namespace
