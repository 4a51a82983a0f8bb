#include "harness.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace conformance {
namespace {

aio::EventLoop* g_current = nullptr;          // the loop log() reads when none is running
double g_last_time = 0.0;                     // its time once it is gone
std::unique_ptr<aio::EventLoop> g_owned_loop;  // made by new_loop()

// The shortest scientific form that reads back as `x` (x finite, > 0):
// its significant digits and the exponent of the first one.
void shortest_digits(double x, std::string& digits, int& exponent, bool use_to_chars) {
  char buf[64];
  std::string sci;
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
  if (use_to_chars) {
    auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    sci.assign(buf, res.ptr);
  }
#else
  use_to_chars = false;
#endif
  if (!use_to_chars) {
    // Without floating-point to_chars (libc++ 13): the correctly rounded form
    // with the fewest digits that round-trips.
    for (int precision = 0; precision <= 17; ++precision) {
      std::snprintf(buf, sizeof buf, "%.*e", precision, x);
      if (std::strtod(buf, nullptr) == x) break;
    }
    sci = buf;
  }
  std::size_t e = sci.find('e');
  digits.clear();
  for (std::size_t i = 0; i < e; ++i)
    if (sci[i] != '.') digits += sci[i];
  exponent = std::atoi(sci.c_str() + e + 1);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
}

}  // namespace

std::string float_repr(double x) { return detail::float_repr(x, true); }

namespace detail {
std::string float_repr(double x, bool use_to_chars) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::string sign = std::signbit(x) ? "-" : "";
  if (x == 0) return sign + "0.0";
  std::string digits;
  int exponent = 0;
  shortest_digits(std::fabs(x), digits, exponent, use_to_chars);
  // CPython's float_repr_style 'short' (format_float_short with 'r'): the
  // decimal point sits after `decpt` digits; outside (-4, 16] use exponent form.
  int decpt = exponent + 1;
  int n = static_cast<int>(digits.size());
  std::string out;
  if (decpt <= -4 || decpt > 16) {
    out = digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof exp, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exp;
  } else if (decpt <= 0) {
    out = "0." + std::string(static_cast<std::size_t>(-decpt), '0') + digits;
  } else if (decpt >= n) {
    out = digits + std::string(static_cast<std::size_t>(decpt - n), '0') + ".0";
  } else {
    out = digits.substr(0, static_cast<std::size_t>(decpt)) + "." + digits.substr(static_cast<std::size_t>(decpt));
  }
  return sign + out;
}
}  // namespace detail

namespace {
// str and bytes reprs differ only in bytes from 0x80 on: kept as they are
// in a str (UTF-8 text), escaped in bytes.
std::string quoted_repr(const std::string& s, bool escape_high) {
  char quote = (s.find('\'') != std::string::npos && s.find('"') == std::string::npos) ? '"' : '\'';
  std::string out(1, quote);
  for (unsigned char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c == static_cast<unsigned char>(quote)) {
          out += '\\';
          out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7f || (escape_high && c >= 0x80)) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + quote;
}
}  // namespace

std::string str_repr(const std::string& s) { return quoted_repr(s, false); }

std::string bytes_repr(const std::string& b) { return "b" + quoted_repr(b, true); }

double now() {
  if (aio::EventLoop* loop = aio::try_get_running_loop()) return loop->time();
  if (g_current) return g_current->time();
  return g_last_time;
}

void print(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

namespace {
void log_parts(const Obj* first, const Obj* last) {
  char t[64];
  std::snprintf(t, sizeof t, "%.3f", now());
  std::string line = std::string(t) + ' ';  // f"{now():.3f} " + " ".join(...)
  for (const Obj* p = first; p != last; ++p) line += (p == first ? "" : " ") + p->str;
  print(line);
}
}  // namespace

void log(std::initializer_list<Obj> parts) { log_parts(parts.begin(), parts.end()); }

std::string fmt_exc(const std::exception_ptr& e) {
  std::string name = aio::exception_type_name(e);
  std::string msg = aio::exception_message(e);
  return msg.empty() ? name : name + ": " + msg;
}

std::string fmt_exc() { return fmt_exc(std::current_exception()); }

namespace {
void exc_lines(const std::exception_ptr& e, const std::string& indent, std::vector<std::string>& lines) {
  lines.push_back(indent + fmt_exc(e));
  try {
    std::rethrow_exception(e);
  } catch (const aio::BaseExceptionGroup& group) {
    for (const auto& sub : group.exceptions()) exc_lines(sub, indent + "  ", lines);
  } catch (...) {
  }
}
}  // namespace

void print_exc(const std::exception_ptr& e, std::initializer_list<Obj> prefix) {
  std::vector<std::string> lines;
  exc_lines(e, "", lines);
  std::vector<Obj> parts(prefix);
  parts.emplace_back(lines[0]);
  log_parts(parts.data(), parts.data() + parts.size());
  for (std::size_t i = 1; i < lines.size(); ++i) print(lines[i]);
}

void default_handler(aio::EventLoop& loop, const aio::ExceptionContext& context) {
  std::string msg = context.message;
  static const std::string kCallback = "Exception in callback";
  if (msg.compare(0, kCallback.size(), kCallback) == 0) msg = kCallback;
  char t[64];
  std::snprintf(t, sizeof t, "%.3f ", loop.time());
  std::string line = std::string(t) + "[exception handler] " + msg;
  if (context.exception) line += " | " + fmt_exc(context.exception);
  print(line);
}

aio::EventLoop& new_loop() {
  if (g_owned_loop && !g_owned_loop->is_closed()) g_owned_loop->close();
  g_owned_loop = std::make_unique<aio::EventLoop>(aio::EventLoop::Options{aio::Clock::virtual_time});
  g_owned_loop->set_exception_handler(default_handler);
  g_current = g_owned_loop.get();
  return *g_owned_loop;
}

namespace detail {

RunScope::RunScope() {
  runner_.emplace(aio::EventLoop::Options{aio::Clock::virtual_time});
  runner_->get_loop().set_exception_handler(default_handler);
  g_current = &runner_->get_loop();
}

RunScope::~RunScope() {
  try {
    runner_->close();
  } catch (...) {
    std::fprintf(stderr, "harness: Runner.close() raised %s\n", fmt_exc().c_str());
  }
  g_last_time = runner_->get_loop().time();
  g_current = nullptr;
  runner_.reset();
}

}  // namespace detail

std::string fixed(double x, int decimals) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::map<std::string, ScenarioFn>& registry() {
  static std::map<std::string, ScenarioFn> scenarios;
  return scenarios;
}

void forget_loops() {
  if (g_owned_loop) {
    if (!g_owned_loop->is_closed()) g_owned_loop->close();
    g_last_time = g_owned_loop->time();
  }
  g_current = nullptr;
  g_owned_loop.reset();
}

}  // namespace conformance
