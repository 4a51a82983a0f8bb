// Exceptions as asyncio shows them: exception_repr() is Python's repr(e),
// which futures' and tasks' reprs use after "exception=".
#include <gtest/gtest.h>

#include <exception>
#include <string>

#include "aio/aio.hpp"

namespace {

std::string repr_of(const std::string& message) {
  return aio::exception_repr(std::make_exception_ptr(aio::ValueError(message)));
}

// The expected strings are CPython 3.11's repr(ValueError(message)).
TEST(Errors, ExceptionReprQuotesTheMessageAsPython) {
  EXPECT_EQ(repr_of("boom"), "ValueError('boom')");
  EXPECT_EQ(repr_of("it's"), "ValueError(\"it's\")");
  EXPECT_EQ(repr_of("say \"hi\""), "ValueError('say \"hi\"')");
  EXPECT_EQ(repr_of("both ' and \""), "ValueError('both \\' and \"')");
  EXPECT_EQ(repr_of("tab\there\nnew"), "ValueError('tab\\there\\nnew')");
  EXPECT_EQ(repr_of("back\\slash"), "ValueError('back\\\\slash')");
  EXPECT_EQ(repr_of("\x01"), "ValueError('\\x01')");
  EXPECT_EQ(repr_of(""), "ValueError()");
}

TEST(Errors, FutureAndTaskReprsShowTheExceptionAsPython) {
  aio::EventLoop loop;
  auto f = loop.create_future<int>();
  f.set_exception(std::make_exception_ptr(aio::ValueError("boom")));
  EXPECT_NE(f.core().describe().find("exception=ValueError('boom')"), std::string::npos) << f.core().describe();
  f.exception();  // retrieved: no report when it goes
}

}  // namespace
