#include "support.hpp"

#include <utility>

namespace aio::demos::support {
namespace {
thread_local std::string current_name = "MainThread";
}

const std::string& thread_name() { return current_name; }
void set_thread_name(std::string name) { current_name = std::move(name); }

Demo make_demo(std::string name, std::string group, std::string scenario, std::string title, std::string summary) {
  Demo d;
  d.name = std::move(name);
  d.group = std::move(group);
  d.scenario = std::move(scenario);
  d.title = std::move(title);
  d.summary = std::move(summary);
  return d;
}

}  // namespace aio::demos::support
