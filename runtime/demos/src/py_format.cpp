#include "aio/demos/py_format.hpp"

#include "aio/detail/str_repr.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace aio::demos::py {

// std::to_chars for double would give the shortest digits directly, but the
// libc++ 13 of Emscripten 3.1.6 lacks it; trying precisions 1..17 with printf
// and keeping the first that reads back exactly gives the same digits.
std::string float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";

  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  // buf is "[-]d[.ddd]e[+-]xx": split it into sign, digits and exponent.
  std::string text(buf);
  std::string sign;
  if (text[0] == '-') {
    sign = "-";
    text.erase(0, 1);
  }
  std::size_t e = text.find('e');
  int exponent = std::atoi(text.c_str() + e + 1);
  std::string digits;
  for (std::size_t i = 0; i < e; ++i)
    if (text[i] != '.') digits += text[i];
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();

  // CPython's float_repr_style 'short' (repr mode 'r'): scientific notation
  // when the decimal point would sit before the 4th zero or past 16 digits.
  int decpt = exponent + 1;
  std::string out;
  if (decpt <= -4 || decpt > 16) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exp;
  } else if (decpt <= 0) {
    out = "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
  } else if (static_cast<std::size_t>(decpt) >= digits.size()) {
    out = digits + std::string(static_cast<std::size_t>(decpt) - digits.size(), '0') + ".0";
  } else {
    out = digits.substr(0, static_cast<std::size_t>(decpt)) + "." + digits.substr(static_cast<std::size_t>(decpt));
  }
  return sign + out;
}

std::string string_repr(std::string_view text) { return aio::detail::str_repr(text); }

std::string fixed(double value, int decimals) {
  // printf rounds the exact binary value half-to-even, as Python's format does.
  int n = std::snprintf(nullptr, 0, "%.*f", decimals, value);
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  std::snprintf(out.data(), out.size(), "%.*f", decimals, value);
  out.pop_back();
  return out;
}

}  // namespace aio::demos::py
