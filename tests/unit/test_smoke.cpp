#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aio/aio.hpp"

namespace {

std::vector<std::string> out;

aio::Task<int> add(int a, int b) {
  co_await aio::sleep(0.1);
  co_return a + b;
}

aio::Task<void> say_after(double delay, std::string what) {
  co_await aio::sleep(delay);
  out.push_back(what);
}

aio::Task<int> main_task() {
  auto t1 = aio::create_task(say_after(1, "hello"));
  auto t2 = aio::create_task(say_after(2, "world"));
  co_await t1;
  co_await t2;
  int r = co_await add(1, 2);
  co_return r;
}

TEST(Smoke, HelloWorld) {
  out.clear();
  aio::EventLoop::Options o;
  o.clock = aio::Clock::virtual_time;
  int r = aio::run(main_task(), o);
  EXPECT_EQ(r, 3);
  EXPECT_EQ(out, (std::vector<std::string>{"hello", "world"}));
}

}  // namespace
