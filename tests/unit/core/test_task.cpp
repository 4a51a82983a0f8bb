#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/testing/counted.hpp"
#include "support/virtual_clock.hpp"

namespace {

using aio_test::virtual_clock;

aio::Task<void> leaf(aio::Future<void> f) { co_await f; }
aio::Task<void> middle(aio::Future<void> f) { co_await leaf(f); }

TEST(Task, GetStackShowsTheChainOfAwaitsOfASuspendedTask) {
  aio::EventLoop loop(virtual_clock());
  auto f = loop.create_future<void>();
  auto main = [&]() -> aio::Task<void> {
    auto t = aio::create_task(middle(f), "worker");
    co_await aio::sleep(0);
    auto stack = t.get_stack();
    EXPECT_EQ(stack.size(), 2u);
    if (stack.size() == 2) {
      EXPECT_STREQ(stack[0].function, "middle");
      EXPECT_STREQ(stack[1].function, "leaf");
      EXPECT_GT(stack[1].line, 0u);
    }
    EXPECT_STREQ(t.core().waiting_on(), "future");
    f.set_result();
    co_await t;
    EXPECT_TRUE(t.get_stack().empty());
  };
  loop.run_until_complete(main());
}

// asyncio's current_task(loop): the task that loop runs now.
TEST(Task, CurrentTaskOfALoop) {
  aio::EventLoop loop(virtual_clock());
  EXPECT_FALSE(aio::current_task(loop));
  auto main = [&]() -> aio::Task<void> {
    auto self = aio::current_task(loop);
    EXPECT_TRUE(self);
    EXPECT_EQ(self.get_name(), "outer");
    co_return;
  };
  loop.run_until_complete(loop.create_task(main(), "outer"));
  EXPECT_FALSE(aio::current_task(loop));
}

std::string printed_stack(const aio::TaskRef& t, int limit = -1) {
  std::FILE* f = std::tmpfile();
  t.print_stack(limit, f);
  std::rewind(f);
  std::string out;
  for (int c; (c = std::fgetc(f)) != EOF;) out += static_cast<char>(c);
  std::fclose(f);
  return out;
}

// asyncio's get_stack(limit=) / print_stack(limit=): the newest frames.
TEST(Task, StackLimitKeepsTheInnermostFrames) {
  aio::EventLoop loop(virtual_clock());
  auto f = loop.create_future<void>();
  auto main = [&]() -> aio::Task<void> {
    auto t = aio::create_task(middle(f), "worker");
    co_await aio::sleep(0);
    auto one = t.get_stack(1);
    EXPECT_EQ(one.size(), 1u);
    if (!one.empty()) {
      EXPECT_STREQ(one[0].function, "leaf");
    }
    EXPECT_EQ(t.get_stack(5).size(), 2u);
    EXPECT_TRUE(t.get_stack(0).empty());
    aio::TaskRef ref(t);
    EXPECT_EQ(ref.get_stack(1).size(), 1u);
    std::string printed = printed_stack(t, 1);
    EXPECT_NE(printed.find(", in leaf\n"), std::string::npos) << printed;
    EXPECT_EQ(printed.find(", in middle\n"), std::string::npos) << printed;
    f.set_result();
    co_await t;
  };
  loop.run_until_complete(main());
}

aio::Task<void> fail_now() {
  co_await aio::sleep(0);
  throw aio::ValueError("boom");
}

// asyncio's print_stack(): the chain of a pending task, the exception of a
// failed one, "No stack" otherwise.
TEST(Task, PrintStackWritesTheAwaitChainOrTheException) {
  aio::EventLoop loop(virtual_clock());
  auto f = loop.create_future<void>();
  auto main = [&]() -> aio::Task<void> {
    auto t = aio::create_task(middle(f), "worker");
    co_await aio::sleep(0);
    std::string pending = printed_stack(t);
    EXPECT_EQ(pending.rfind("Stack for <Task pending name='worker' at leaf:", 0), 0u) << pending;
    auto in_middle = pending.find(", in middle\n");
    auto in_leaf = pending.find(", in leaf\n");
    EXPECT_NE(in_middle, std::string::npos) << pending;
    EXPECT_NE(in_leaf, std::string::npos) << pending;
    EXPECT_LT(in_middle, in_leaf) << "outermost first, as asyncio (most recent call last)";
    f.set_result();
    co_await t;
    EXPECT_EQ(printed_stack(t), "No stack for <Task finished name='worker'>\n");

    auto failing = aio::create_task(fail_now(), "failing");
    try {
      co_await failing;
    } catch (const aio::ValueError&) {
    }
    EXPECT_EQ(printed_stack(failing),
              "Traceback for <Task finished name='failing' exception=ValueError('boom')> (most recent call last):\n"
              "ValueError: boom\n");

    auto sleeping = aio::create_task(aio::sleep(10), "sleeping");
    co_await aio::sleep(0);
    sleeping.cancel();
    co_await aio::sleep(0);
    EXPECT_EQ(printed_stack(sleeping), "No stack for <Task cancelled name='sleeping'>\n");
    // The name as Python's repr() gives it.
    auto quoted = aio::create_task(aio::sleep(0), "it's");
    co_await quoted;
    EXPECT_EQ(printed_stack(quoted), "No stack for <Task finished name=\"it's\">\n");
  };
  loop.run_until_complete(main());
}

// Names and cancel messages live in a side table keyed by the future's
// address (future.cpp): with many at once, dropped in a scattered order (the
// table grows, and removals move the entries after them), each keeps its own.
TEST(Task, ManyNamesAndCancelMessagesStayWithTheirOwnFutures) {
  aio::EventLoop loop(virtual_clock());
  auto gate = loop.create_future<void>();
  constexpr int n = 500;
  std::vector<aio::Task<void>> tasks;
  std::vector<aio::Future<void>> futs;
  for (int i = 0; i < n; ++i) {
    tasks.push_back(loop.create_task(leaf(gate), "task-" + std::to_string(i)));
    futs.push_back(loop.create_future<void>());
    futs.back().cancel("message-" + std::to_string(i));
  }
  for (int i = 0; i < n; i += 3) futs[i] = aio::Future<void>();
  for (int i = 1; i < n; i += 7) tasks[i].set_name("renamed-" + std::to_string(i));
  for (int i = 0; i < n; ++i) {
    if (i % 3) {
      EXPECT_EQ(futs[i].core().cancel_message(), "message-" + std::to_string(i));
    }
    EXPECT_EQ(tasks[i].get_name(), (i % 7 == 1 ? "renamed-" : "task-") + std::to_string(i));
  }
  for (int i = 0; i < n; ++i)
    if (i % 3 == 0) futs[i] = loop.create_future<void>();  // at addresses freed above: no name, no message
  for (int i = 0; i < n; i += 3) EXPECT_EQ(futs[i].core().cancel_message(), "");
  gate.set_result();
  loop.run_until_complete([](std::vector<aio::Task<void>> ts) -> aio::Task<void> {
    for (auto& t : ts) co_await t;
  }(tasks));
  for (int i = 0; i < n; i += 2) tasks[i] = aio::Task<void>();
  for (int i = 1; i < n; i += 2) EXPECT_EQ(tasks[i].get_name(), (i % 7 == 1 ? "renamed-" : "task-") + std::to_string(i));
}

TEST(Task, ManyTasksAwaitingOneFutureWakeInTheOrderTheyStartedWaiting) {
  aio::EventLoop loop(virtual_clock());
  auto f = loop.create_future<int>();
  std::vector<int> order;
  auto waiter = [](aio::Future<int> f, int i, std::vector<int>* order) -> aio::Task<void> {
    co_await f;
    order->push_back(i);
  };
  auto main = [&]() -> aio::Task<void> {
    std::vector<aio::Task<void>> tasks;
    constexpr int n = 20000;  // appending a waiter is O(1): this stays instant
    for (int i = 0; i < n; ++i) tasks.push_back(aio::create_task(waiter(f, i, &order)));
    co_await aio::sleep(0);
    f.set_result(7);
    for (auto& t : tasks) co_await t;
    EXPECT_EQ(order.size(), static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
      if (order[i] != i) {
        ADD_FAILURE() << "waiter " << order[i] << " woke at position " << i;
        break;
      }
  };
  loop.run_until_complete(main());
}

TEST(Task, RemovingDoneCallbacksKeepsTheOthersInOrder) {
  aio::EventLoop loop(virtual_clock());
  auto f = loop.create_future<void>();
  std::vector<std::string> ran;
  auto a = f.add_done_callback([&](aio::Future<void>&) { ran.push_back("a"); });
  auto b = f.add_done_callback([&](aio::Future<void>&) { ran.push_back("b"); });
  f.add_done_callback([&](aio::Future<void>&) { ran.push_back("c"); });
  auto d = f.add_done_callback([&](aio::Future<void>&) { ran.push_back("d"); });
  EXPECT_EQ(f.remove_done_callback(b), 1u);
  EXPECT_EQ(f.remove_done_callback(d), 1u);  // the newest: the list's tail moves back
  EXPECT_EQ(f.remove_done_callback(d), 0u);
  f.add_done_callback([&](aio::Future<void>&) { ran.push_back("e"); });
  EXPECT_EQ(f.remove_done_callback(a), 1u);  // the oldest
  f.set_result();
  loop.run_once();
  EXPECT_EQ(ran, (std::vector<std::string>{"c", "e"}));
}

aio::Task<aio::testing::Counted> make_counted(int v) {
  co_await aio::sleep(0.1);
  co_return aio::testing::Counted(v);
}

TEST(Task, FramesAndResultsAreDestroyedExactlyOnce) {
  aio::testing::Counted::reset();
  {
    aio::EventLoop loop(virtual_clock());
    auto main = []() -> aio::Task<int> {
      int sum = 0;
      auto t1 = aio::create_task(make_counted(1));
      sum += (co_await make_counted(2)).value;  // inline
      sum += (co_await t1).value;               // as a task
      // A task nobody awaits still runs and is freed when it finishes.
      (void)aio::create_task(make_counted(3));
      co_await aio::sleep(1);
      co_return sum;
    };
    EXPECT_EQ(loop.run_until_complete(main()), 3);
  }
  EXPECT_EQ(aio::testing::Counted::alive(), 0);
  EXPECT_GT(aio::testing::Counted::constructed, 0);
}

TEST(Task, APendingTaskDestroyedWithItsLoopIsReported) {
  std::vector<std::string> reports;
  {
    aio::EventLoop loop(virtual_clock());
    loop.set_exception_handler(
        [&](aio::EventLoop&, const aio::ExceptionContext& ctx) { reports.push_back(ctx.message + " " + ctx.task); });
    auto forever = loop.create_future<void>();
    auto main = [&]() -> aio::Task<void> {
      (void)aio::create_task(leaf(forever), "stuck");
      co_await aio::sleep(0);
    };
    loop.run_until_complete(main());
    loop.close();
  }
  EXPECT_EQ(reports, (std::vector<std::string>{"Task was destroyed but it is pending! stuck"}));
}

TEST(Task, AwaitingACoroutineTwiceIsAnError) {
  auto main = []() -> aio::Task<std::string> {
    auto c = make_counted(1);
    co_await c;
    try {
      co_await c;
    } catch (const aio::RuntimeError& e) {
      co_return e.what();
    }
    co_return "no error";
  };
  std::string msg = aio::run(main(), virtual_clock());
  EXPECT_NE(msg.find("cannot reuse already awaited coroutine"), std::string::npos) << msg;
}

TEST(Task, CancellingACoroutineThatIsNotATaskIsAnError) {
  auto c = make_counted(1);
  EXPECT_THROW(c.cancel(), aio::InvalidStateError);
}

}  // namespace

// A named namespace: with internal linkage, clang 14 (wasm) inlines
// make_point's resume into a tail call it cannot emit (TOOLCHAIN.md).
namespace task_values {

// Trivially destructible, yet with no default constructor: a future or a
// task stores it without std::optional's flag (aio/future.hpp ValueStorage).
struct Point {
  Point(int x, int y) : x(x), y(y) {}
  int x, y;
};

aio::Task<Point> make_point(int x) {
  co_await aio::sleep(0);
  co_return Point{x, x + 1};
}

}  // namespace task_values

using task_values::make_point;
using task_values::Point;

TEST(TaskValues, TriviallyDestructibleValuesNeedNoDefaultConstructor) {
  aio::EventLoop loop(virtual_clock());
  auto main = [&]() -> aio::Task<void> {
    auto t = aio::create_task(make_point(3));
    Point p = co_await t;
    EXPECT_EQ(p.x, 3);
    EXPECT_EQ(p.y, 4);
    EXPECT_EQ(t.result().y, 4);  // a done task keeps giving its result
    auto f = loop.create_future<Point>();
    loop.call_soon([f]() mutable { f.set_result(Point{5, 6}); });
    Point q = co_await f;
    EXPECT_EQ(q.x, 5);
    EXPECT_EQ(f.result().y, 6);
    EXPECT_THROW(f.set_result(Point{0, 0}), aio::InvalidStateError);
  };
  loop.run_until_complete(main());
  // Without the flag, the promise is the bare value's size bigger than a void task's.
  static_assert(sizeof(aio::detail::TaskPromise<long>) == sizeof(aio::detail::TaskPromise<void>) + sizeof(long));
}
