#pragma once
/// Python's built-in TypeError and ValueError, for the places where asyncio
/// raises them (wrong kind of argument, empty set of futures, ...).
///
/// Kept apart from errors.hpp so this branch does not edit a core file; the
/// two classes belong there when branches are merged.
#include <stdexcept>

namespace aio {

/// An argument of the wrong kind (Python's TypeError): e.g. an unstarted
/// coroutine where asyncio.wait() requires tasks.
class TypeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// An argument of the right kind but a wrong value (Python's ValueError):
/// e.g. an empty list of futures given to asyncio.wait().
class ValueError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace aio
