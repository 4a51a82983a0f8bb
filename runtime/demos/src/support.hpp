#pragma once
// Helpers shared by the demo group files (not part of the demos' public API).
#include <string>

#include "aio/demos/demo.hpp"

namespace aio::demos::support {

/// task._state: "PENDING", "CANCELLED" or "FINISHED".
template <class T>
const char* state(const Task<T>& task) {
  if (!task.done()) return "PENDING";
  return task.cancelled() ? "CANCELLED" : "FINISHED";
}

/// Python's try/finally for code that must run however a block is left.
template <class F>
struct Finally {
  F fn;
  ~Finally() { fn(); }
};
template <class F>
Finally(F) -> Finally<F>;

/// threading.current_thread().name. C++ threads have no names, so a demo
/// names the threads it starts with set_thread_name(); any other thread is
/// "MainThread", as the thread that runs a demo is in Python.
const std::string& thread_name();
void set_thread_name(std::string name);

/// A demo with its name, group, scenario and texts; the group files add the
/// program and parameters.
Demo make_demo(std::string name, std::string group, std::string scenario, std::string title, std::string summary);
inline Demo with_main(Demo d, Task<void> (*main)(DemoContext&)) {
  d.main = main;
  return d;
}
inline Demo with_program(Demo d, void (*program)(DemoContext&)) {
  d.program = program;
  return d;
}

}  // namespace aio::demos::support
