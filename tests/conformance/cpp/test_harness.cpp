// The harness's Python formatting must match CPython's str()/repr() byte for byte.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "harness.hpp"

namespace {
using conformance::float_repr;
using conformance::Obj;
using conformance::py_str;

TEST(FloatRepr, MatchesPythonRepr) {
  // Each pair is repr(x) as printed by CPython 3.11.
  EXPECT_EQ(float_repr(1.0), "1.0");
  EXPECT_EQ(float_repr(0.0), "0.0");
  EXPECT_EQ(float_repr(-0.0), "-0.0");
  EXPECT_EQ(float_repr(1.5), "1.5");
  EXPECT_EQ(float_repr(0.1), "0.1");
  EXPECT_EQ(float_repr(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(float_repr(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(float_repr(2.0 / 3), "0.6666666666666666");
  EXPECT_EQ(float_repr(100.0), "100.0");
  EXPECT_EQ(float_repr(123456789.0), "123456789.0");
  EXPECT_EQ(float_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(float_repr(9999999999999998.0), "9999999999999998.0");
  EXPECT_EQ(float_repr(1e16), "1e+16");
  EXPECT_EQ(float_repr(1.5e16), "1.5e+16");
  EXPECT_EQ(float_repr(1e22), "1e+22");
  EXPECT_EQ(float_repr(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(float_repr(0.0001), "0.0001");
  EXPECT_EQ(float_repr(0.00012345), "0.00012345");
  EXPECT_EQ(float_repr(0.00001), "1e-05");
  EXPECT_EQ(float_repr(1.5e-5), "1.5e-05");
  EXPECT_EQ(float_repr(5e-324), "5e-324");
  EXPECT_EQ(float_repr(2.2250738585072014e-308), "2.2250738585072014e-308");
  EXPECT_EQ(float_repr(-2.5), "-2.5");
  EXPECT_EQ(float_repr(-1e-7), "-1e-07");
  EXPECT_EQ(float_repr(123.456), "123.456");
  EXPECT_EQ(float_repr(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(float_repr(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(float_repr(std::nan("")), "nan");
}

TEST(FloatRepr, PrintfFallbackAgreesWithToChars) {
  // The fallback (for libraries without floating-point to_chars) must give
  // the same text; checked over integers, simple fractions and random bits.
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 200000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    double x;
    if (i % 3 == 0) {
      std::memcpy(&x, &state, sizeof x);
    } else if (i % 3 == 1) {
      x = static_cast<double>(state % 100000) / 1000.0;
    } else {
      x = static_cast<double>(state % 1000) * std::pow(10.0, static_cast<int>(state % 40) - 20);
    }
    if (std::isnan(x)) continue;
    ASSERT_EQ(conformance::detail::float_repr(x, false), conformance::detail::float_repr(x, true)) << i;
  }
}

TEST(PyStr, ScalarsAndContainers) {
  EXPECT_EQ(py_str(true), "True");
  EXPECT_EQ(py_str(false), "False");
  EXPECT_EQ(py_str(42), "42");
  EXPECT_EQ(py_str(-7L), "-7");
  EXPECT_EQ(py_str(2.0), "2.0");
  EXPECT_EQ(py_str("text"), "text");
  EXPECT_EQ(py_str(std::string("s")), "s");
  EXPECT_EQ(py_str(conformance::None), "None");
  EXPECT_EQ(py_str(std::optional<int>{}), "None");
  EXPECT_EQ(py_str(std::optional<int>{3}), "3");
  EXPECT_EQ(py_str(std::exception_ptr{}), "None");
  EXPECT_EQ(py_str(std::vector<std::string>{"a", "b"}), "['a', 'b']");
  EXPECT_EQ(py_str(std::vector<int>{}), "[]");
  EXPECT_EQ(py_str(std::vector<Obj>{1, "ValueError: boom", 2.5, true, conformance::None}),
            "[1, 'ValueError: boom', 2.5, True, None]");
  EXPECT_EQ(py_str(std::vector<std::pair<int, std::string>>{{1, "a"}, {2, "b"}}), "[(1, 'a'), (2, 'b')]");
  EXPECT_EQ(py_str(std::tuple<int>{1}), "(1,)");
  EXPECT_EQ(py_str(std::vector<std::string>{"it's", "say \"hi\"", "both ' \""}),
            R"(["it's", 'say "hi"', 'both \' "'])");
  EXPECT_EQ(py_str(std::vector<std::string>{"tab\there", "back\\slash"}), R"(['tab\there', 'back\\slash'])");
}

// Expected strings are what CPython 3.11 prints for repr() of these bytes.
TEST(PyStr, Bytes) {
  using conformance::Bytes;
  EXPECT_EQ(py_str(Bytes{std::string("a'b\x80\0\\\n\t\x7f", 9)}), R"(b"a'b\x80\x00\\\n\t\x7f")");
  EXPECT_EQ(py_str(Bytes{"it's \"q\""}), R"(b'it\'s "q"')");
  EXPECT_EQ(py_str(std::vector<Bytes>{{"x"}, {""}}), "[b'x', b'']");
}

TEST(FmtExc, TypeNameAndMessage) {
  EXPECT_EQ(conformance::fmt_exc(std::make_exception_ptr(conformance::ValueError("bad"))), "ValueError: bad");
  EXPECT_EQ(conformance::fmt_exc(std::make_exception_ptr(aio::CancelledError())), "CancelledError");
  EXPECT_EQ(conformance::fmt_exc(std::make_exception_ptr(aio::TimeoutError())), "TimeoutError");
  EXPECT_EQ(conformance::fmt_exc(std::make_exception_ptr(
                aio::ExceptionGroup("unhandled errors in a TaskGroup",
                                    {std::make_exception_ptr(conformance::ValueError("x"))}))),
            "ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)");
}

}  // namespace
