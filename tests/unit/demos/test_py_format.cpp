// Python's str()/repr() spellings used by DemoContext::print.
#include <gtest/gtest.h>

#include <limits>

#include "aio/demos/py_format.hpp"

namespace {

using namespace aio::demos;

TEST(PyFormat, FloatReprMatchesCPython) {
  // Each expectation is repr(x) from CPython 3.11.
  EXPECT_EQ(py::float_repr(1.0), "1.0");
  EXPECT_EQ(py::float_repr(0.1), "0.1");
  EXPECT_EQ(py::float_repr(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(py::float_repr(-2.5), "-2.5");
  EXPECT_EQ(py::float_repr(123456789.0), "123456789.0");
  EXPECT_EQ(py::float_repr(1e16), "1e+16");
  EXPECT_EQ(py::float_repr(1234567890123456.0), "1234567890123456.0");
  EXPECT_EQ(py::float_repr(1.5e-5), "1.5e-05");
  EXPECT_EQ(py::float_repr(0.0001), "0.0001");
  EXPECT_EQ(py::float_repr(1e22), "1e+22");
  EXPECT_EQ(py::float_repr(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(py::float_repr(5e-324), "5e-324");
  EXPECT_EQ(py::float_repr(-0.0), "-0.0");
  EXPECT_EQ(py::float_repr(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(py::float_repr(std::numeric_limits<double>::quiet_NaN()), "nan");
}

TEST(PyFormat, StrOfScalars) {
  EXPECT_EQ(py::str(true), "True");
  EXPECT_EQ(py::str(false), "False");
  EXPECT_EQ(py::str(42), "42");
  EXPECT_EQ(py::str(-7LL), "-7");
  EXPECT_EQ(py::str(2.0), "2.0");
  EXPECT_EQ(py::str("text"), "text");
  EXPECT_EQ(py::str(std::string("s")), "s");
  EXPECT_EQ(py::str(nullptr), "None");
  EXPECT_EQ(py::str(std::optional<int>()), "None");
  EXPECT_EQ(py::str(std::optional<int>(3)), "3");
}

TEST(PyFormat, ContainersUseReprOfTheirItems) {
  EXPECT_EQ(py::str(std::vector<std::string>{"a", "b"}), "['a', 'b']");
  EXPECT_EQ(py::str(std::vector<int>{2, 6, 24}), "[2, 6, 24]");
  EXPECT_EQ(py::str(std::vector<int>{}), "[]");
  EXPECT_EQ(py::str(std::tuple<std::string, int>("x", 1)), "('x', 1)");
  EXPECT_EQ(py::str(std::tuple<int>(1)), "(1,)");
  EXPECT_EQ(py::str(std::pair<double, bool>(0.5, true)), "(0.5, True)");
}

TEST(PyFormat, StringReprQuotesLikePython) {
  EXPECT_EQ(py::string_repr("hello"), "'hello'");
  EXPECT_EQ(py::string_repr("it's"), "\"it's\"");
  EXPECT_EQ(py::string_repr("both ' and \""), "'both \\' and \"'");
  EXPECT_EQ(py::string_repr("a\\b\n\t\x01"), "'a\\\\b\\n\\t\\x01'");
  EXPECT_EQ(py::string_repr("返回值"), "'返回值'");
}

TEST(PyFormat, FixedRoundsLikePythonFormat) {
  EXPECT_EQ(py::fixed(0.0, 3), "0.000");
  EXPECT_EQ(py::fixed(2.0005, 3), "2.001");  // 2.0005 is stored slightly above
  EXPECT_EQ(py::fixed(0.125, 2), "0.12");    // exactly half: to even
  EXPECT_EQ(py::fixed(3.0, 4), "3.0000");
}

}  // namespace
