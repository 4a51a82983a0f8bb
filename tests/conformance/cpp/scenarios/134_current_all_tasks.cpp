// Twin of py/scenarios/134_current_all_tasks.py: current_task() inside tasks and callbacks,
// all_tasks() as tasks start and finish.
#include "aio/gather.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> child(std::string name, double d) {
  log(name, "current is self", aio::current_task().get_name() == name);
  co_await aio::sleep(d);
}

void plain_callback() { log("current_task in callback is None", !aio::current_task()); }

std::vector<std::string> all_task_names() {
  std::vector<std::string> names;
  for (auto& t : aio::all_tasks()) names.push_back(t.get_name());
  return names;
}

aio::Task<void> main_() {
  log("main current name", aio::current_task().get_name() == "main");
  std::vector<aio::Task<void>> ts;
  for (int i = 0; i < 3; ++i) {
    std::string name = "c" + std::to_string(i);
    ts.push_back(aio::create_task(child(name, i + 1), name));
  }
  log("all_tasks before children ran", aio::all_tasks().size());
  aio::get_running_loop().call_soon(plain_callback);
  co_await aio::sleep(1.5);
  log("all_tasks at 1.5", aio::all_tasks().size(), sorted(all_task_names()));
  co_await aio::gather(ts[0], ts[1], ts[2]);
  log("all_tasks at end", aio::all_tasks().size());
}

aio::Task<void> boot() {
  aio::current_task().set_name("main");
  co_await main_();
}
}  // namespace

AIO_SCENARIO("134_current_all_tasks") { run(boot); }
