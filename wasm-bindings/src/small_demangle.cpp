// A small __cxa_demangle for the npm package, replacing libc++abi's.
//
// The core names exceptions with abi::__cxa_demangle (exception_type_name:
// "aio::TimeoutError" -> "TimeoutError"), which links libc++abi's full
// Itanium demangler: about a fifth of aio.wasm. Exception types are plain
// class names, so this version reads only what they use, a possibly nested
// name (`N3aio12TimeoutErrorE`, `St9bad_alloc`, `12MyError`), and reports
// failure for anything else; exception_type_name then shows the mangled
// name, which is still unique. Because this object defines the symbol, the
// linker does not pull libc++abi's demangler out of its archive.
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// Reads <length><identifier> at `p`; false if there is none.
bool read_source_name(const char*& p, std::string& out) {
  if (*p < '0' || *p > '9') return false;
  std::size_t n = 0;
  while (*p >= '0' && *p <= '9') n = n * 10 + static_cast<std::size_t>(*p++ - '0');
  if (n == 0 || std::strlen(p) < n) return false;
  if (!out.empty()) out += "::";
  out.append(p, n);
  p += n;
  return true;
}

bool demangle_class_name(const char* p, std::string& out) {
  bool nested = *p == 'N';
  if (nested) ++p;
  if (p[0] == 'S' && p[1] == 't') {  // std::
    out = "std";
    p += 2;
  }
  if (!read_source_name(p, out)) return false;
  while (nested && *p != 'E') {
    if (!read_source_name(p, out)) return false;
  }
  if (nested) ++p;
  return *p == '\0';
}

}  // namespace

extern "C" char* __cxa_demangle(const char* mangled, char* buf, std::size_t* n, int* status) {
  std::string out;
  if (!mangled || !demangle_class_name(mangled, out)) {
    if (status) *status = -2;  // not a valid name under the (reduced) rules
    return nullptr;
  }
  char* result = buf;
  if (!result || !n || *n < out.size() + 1) result = static_cast<char*>(std::realloc(buf, out.size() + 1));
  if (!result) {
    if (status) *status = -1;
    return nullptr;
  }
  std::memcpy(result, out.c_str(), out.size() + 1);
  if (n) *n = out.size() + 1;
  if (status) *status = 0;
  return result;
}
