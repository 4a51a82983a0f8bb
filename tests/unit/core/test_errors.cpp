// Exceptions as asyncio shows them: exception_repr() is Python's repr(e),
// which futures' and tasks' reprs use after "exception=".
#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <type_traits>

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

// Python's hierarchy: TimeoutError is an OSError (asyncio.TimeoutError is the
// built-in one since 3.11), BrokenBarrierError a RuntimeError, and
// KeyboardInterrupt, like CancelledError, a BaseException only.
static_assert(std::is_base_of_v<aio::OSError, aio::TimeoutError>);
static_assert(std::is_base_of_v<aio::RuntimeError, aio::BrokenBarrierError>);
static_assert(!std::is_base_of_v<std::exception, aio::KeyboardInterrupt>);
static_assert(!std::is_base_of_v<std::exception, aio::CancelledError>);

TEST(Errors, ATimeoutIsAnOSErrorWithoutErrno) {
  aio::EventLoop loop({aio::Clock::virtual_time, false});
  try {
    loop.run_until_complete(aio::wait_for(aio::sleep(10), 1.0));
    ADD_FAILURE() << "expected TimeoutError";
  } catch (const aio::OSError& e) {  // what network code catches
    EXPECT_EQ(aio::exception_type_name(std::current_exception()), "TimeoutError");
    EXPECT_EQ(e.errno_value(), 0);
  }
}

// As InvalidStateError: what() stays asyncio's text, the guidance is hint().
TEST(Errors, ARuntimeErrorKeepsItsHintOutOfWhat) {
  aio::RuntimeError plain("x");
  EXPECT_EQ(plain.hint(), "");
  aio::RuntimeError copy = aio::RuntimeError("Event loop is closed", "make a new loop");
  EXPECT_STREQ(copy.what(), "Event loop is closed");
  EXPECT_EQ(copy.hint(), "make a new loop");
  aio::BrokenBarrierError broken("b");
  EXPECT_EQ(broken.hint(), "");
  aio::ValueError value("The future belongs to a different loop", "use one loop");
  EXPECT_STREQ(value.what(), "The future belongs to a different loop");
  EXPECT_EQ(value.hint(), "use one loop");
}

// exception_hint() finds the hint whichever error class carries it.
TEST(Errors, ExceptionHintReadsAnyHintedError) {
  EXPECT_EQ(aio::exception_hint(std::make_exception_ptr(aio::InvalidStateError("invalid state", "await it"))),
            "await it");
  EXPECT_EQ(aio::exception_hint(std::make_exception_ptr(aio::ValueError("bad", "pass 1"))), "pass 1");
  EXPECT_EQ(aio::exception_hint(std::make_exception_ptr(aio::RuntimeError("plain"))), "");
  EXPECT_EQ(aio::exception_hint(std::make_exception_ptr(aio::TypeError("t"))), "");
  EXPECT_EQ(aio::exception_hint(std::make_exception_ptr(aio::CancelledError())), "");
  EXPECT_EQ(aio::exception_hint(nullptr), "");
}

TEST(Errors, ABrokenBarrierIsARuntimeError) {
  aio::EventLoop loop({aio::Clock::virtual_time, false});
  EXPECT_THROW(loop.run_until_complete([]() -> aio::Task<void> {
    aio::Barrier barrier(2);
    co_await barrier.abort();
    co_await barrier.wait();
  }()),
               aio::RuntimeError);
}

TEST(Errors, FutureAndTaskReprsShowTheExceptionAsPython) {
  aio::EventLoop loop;
  auto f = loop.create_future<int>();
  f.set_exception(std::make_exception_ptr(aio::ValueError("boom")));
  EXPECT_NE(f.core().describe().find("exception=ValueError('boom')"), std::string::npos) << f.core().describe();
  f.exception();  // retrieved: no report when it goes
}

// An error from another language (the npm package's JS errors) is shown by
// its own class name, not by the C++ class carrying it.
class GuestError : public aio::ForeignError {
 public:
  const char* type_name() const noexcept override { return "TypeError"; }
  const char* what() const noexcept override { return "bad value"; }
};

TEST(Errors, AForeignErrorIsNamedByItsOwnClass) {
  auto e = std::make_exception_ptr(GuestError());
  EXPECT_EQ(aio::exception_type_name(e), "TypeError");
  EXPECT_EQ(aio::exception_repr(e), "TypeError('bad value')");
  EXPECT_EQ(aio::describe_exception(e), "TypeError: bad value");
  aio::EventLoop loop({aio::Clock::virtual_time, false});
  auto task = loop.create_task([]() -> aio::Task<void> {
    throw GuestError();
    co_return;
  }());
  loop.run_until_complete(aio::sleep(0));
  EXPECT_NE(task.core().describe().find("exception=TypeError('bad value')"), std::string::npos)
      << task.core().describe();
  task.exception();
}

}  // namespace
