#include "aio/errors.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <typeinfo>

#include "aio/detail/str_repr.hpp"

// Emscripten's JS exception model (-fexceptions, used by the threads build:
// see the top-level CMakeLists.txt) keeps exceptions in JS and has no
// __cxa_current_exception_type; its ExceptionInfo knows the thrown object's
// type. std::exception_ptr holds that object's address there.
#if defined(__EMSCRIPTEN__) && !defined(__wasm_exception_handling__)
#include <emscripten.h>
#include <exception>
#define AIO_JS_EXCEPTIONS 1
EM_JS(const void*, aio_js_exception_type, (const void* thrown), { return new ExceptionInfo(thrown).get_type(); });
#endif

namespace aio {

OSError::OSError(int err, const std::string& message) : std::runtime_error(message), errno_(err) {}

BaseExceptionGroup::BaseExceptionGroup(std::string message, std::vector<std::exception_ptr> exceptions)
    : message_(std::move(message)), exceptions_(std::move(exceptions)) {
  // Python: str(ExceptionGroup("msg", [a, b])) == "msg (2 sub-exceptions)".
  what_ = message_ + " (" + std::to_string(exceptions_.size()) +
          (exceptions_.size() == 1 ? " sub-exception)" : " sub-exceptions)");
}

namespace {

// The unqualified, demangled name of the type of the exception being handled.
std::string current_exception_type_name() {
#ifdef AIO_JS_EXCEPTIONS
  std::exception_ptr current = std::current_exception();
  static_assert(sizeof(current) == sizeof(void*));
  const void* thrown = *reinterpret_cast<const void* const*>(&current);
  const auto* type = thrown ? static_cast<const std::type_info*>(aio_js_exception_type(thrown)) : nullptr;
#else
  const std::type_info* type = abi::__cxa_current_exception_type();
#endif
  if (!type) return "unknown";
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(abi::__cxa_demangle(type->name(), nullptr, nullptr, &status),
                                                   std::free);
  std::string name = status == 0 && demangled ? demangled.get() : type->name();
  // Drop namespaces (but not template arguments' ones): "aio::TimeoutError" -> "TimeoutError".
  std::size_t depth = 0, cut = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '<') ++depth;
    if (name[i] == '>') --depth;
    if (depth == 0 && name[i] == ':' && i + 1 < name.size() && name[i + 1] == ':') cut = i + 2;
  }
  return name.substr(cut);
}

}  // namespace

std::string exception_type_name(const std::exception_ptr& e) {
  if (!e) return "None";
  try {
    std::rethrow_exception(e);
  } catch (const ForeignError& f) {
    return f.type_name();
  } catch (...) {
    return current_exception_type_name();
  }
}

std::string exception_message(const std::exception_ptr& e) {
  if (!e) return "";
  try {
    std::rethrow_exception(e);
  } catch (const CancelledError& c) {
    return c.message();
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "";
  }
}

std::string exception_hint(const std::exception_ptr& e) {
  if (!e) return "";
  try {
    std::rethrow_exception(e);
  } catch (const detail::ErrorHint& h) {
    return h.hint();
  } catch (...) {
    return "";
  }
}

std::string describe_exception(const std::exception_ptr& e) {
  std::string name = exception_type_name(e);
  std::string message = exception_message(e);
  return message.empty() ? name : name + ": " + message;
}

std::string exception_repr(const std::exception_ptr& e) {
  std::string message = exception_message(e);
  return exception_type_name(e) + "(" + (message.empty() ? std::string() : detail::str_repr(message)) + ")";
}

bool is_cancelled_error(const std::exception_ptr& e) noexcept {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const CancelledError&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace aio
