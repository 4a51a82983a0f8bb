#pragma once
// Python's repr() of a str, for the core's reprs (exception_repr) and the
// demos' Python formatting (aio::demos::py::string_repr); and the address
// in a default repr.
#include <string>
#include <string_view>

namespace aio::detail {

/// repr(str): quoted with ' (or " when the text has ' and no "), with
/// backslash escapes for the quote, backslash and control characters;
/// other bytes (UTF-8 included) are kept, as Python 3 keeps printable text.
std::string str_repr(std::string_view text);

/// The "0x..." of Python's default repr ("<Context object at 0x...>").
std::string address_repr(const void* p);

}  // namespace aio::detail
