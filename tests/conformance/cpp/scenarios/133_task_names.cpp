// Twin of py/scenarios/133_task_names.py: create_task(name=...), get_name/set_name from
// inside the task, default "Task-N" names.
//
// API difference: set_name takes a string; Python's set_name(42) stores str(42), which the
// twin spells set_name(py_str(42)).
#include "harness.hpp"

namespace {
using namespace conformance;



aio::Task<std::string> named() {
  aio::TaskRef me = aio::current_task();
  log("running as", me.get_name());
  me.set_name("renamed-inside");
  co_await aio::sleep(0);
  co_return me.get_name();
}

aio::Task<void> main_() {
  auto t = aio::create_task(named(), "worker-1");
  log("created", t.get_name());
  std::string r = co_await t;
  log("result", r);
  auto d = aio::create_task(aio::sleep(0));
  log("default name prefix ok", d.get_name().rfind("Task-", 0) == 0);
  d.set_name(py_str(42));
  std::string name = d.get_name();
  log("set_name(42) ->", name, "str");  // type(d.get_name()).__name__: a std::string
  co_await d;
}
}  // namespace

AIO_SCENARIO("133_task_names") { run(main_); }
