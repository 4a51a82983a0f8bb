// Misuse messages of Future/Task are asyncio's exact text (conformance scenarios 128, 129);
// the guidance aio adds lives in InvalidStateError::hint().
#include <gtest/gtest.h>

#include <string>

#include "aio/aio.hpp"
#include "support/virtual_clock.hpp"

namespace {

using aio_test::virtual_clock;

template <class F>
aio::InvalidStateError catch_invalid_state(F&& f) {
  try {
    f();
  } catch (const aio::InvalidStateError& e) {
    return e;
  }
  ADD_FAILURE() << "no InvalidStateError";
  return aio::InvalidStateError("");
}

TEST(FutureMessages, ResultAndExceptionOfPendingFutureUseAsyncioText) {
  aio::EventLoop loop(virtual_clock());
  auto f = loop.create_future<int>();
  auto r = catch_invalid_state([&] { f.result(); });
  EXPECT_STREQ(r.what(), "Result is not set.");
  EXPECT_NE(r.hint().find("await it"), std::string::npos);
  auto e = catch_invalid_state([&] { (void)f.exception(); });
  EXPECT_STREQ(e.what(), "Exception is not set.");
  EXPECT_FALSE(e.hint().empty());
}

TEST(FutureMessages, SettingADoneFutureSaysInvalidState) {
  aio::EventLoop loop(virtual_clock());
  auto f = loop.create_future<int>();
  f.set_result(1);
  auto twice = catch_invalid_state([&] { f.set_result(2); });
  EXPECT_STREQ(twice.what(), "invalid state");
  EXPECT_NE(twice.hint().find("FINISHED"), std::string::npos);
  auto exc = catch_invalid_state([&] { f.set_exception(std::runtime_error("x")); });
  EXPECT_STREQ(exc.what(), "invalid state");
  auto g = loop.create_future<void>();
  g.cancel();
  auto cancelled = catch_invalid_state([&] { g.set_result(); });
  EXPECT_STREQ(cancelled.what(), "invalid state");
  EXPECT_NE(cancelled.hint().find("CANCELLED"), std::string::npos);
}

aio::Task<void> pending_task_result(std::string& what) {
  auto t = aio::create_task([]() -> aio::Task<void> { co_await aio::sleep(1); }());
  try {
    t.result();
  } catch (const aio::InvalidStateError& e) {
    what = e.what();
  }
  co_await t;
}

TEST(FutureMessages, ResultOfPendingTask) {
  std::string what;
  aio::run(pending_task_result(what), virtual_clock());
  EXPECT_EQ(what, "Result is not set.");
}

TEST(FutureMessages, PlainConstructionHasNoHint) {
  aio::InvalidStateError e("x");
  EXPECT_EQ(e.hint(), "");
  aio::InvalidStateError copy = aio::InvalidStateError("y", "z");
  EXPECT_EQ(copy.hint(), "z");
}

}  // namespace
