// Twin of py/scenarios/116_same_deadline_timers.py: equal deadlines fire in asyncio's heapq
// pop order (not insertion order), with some timers cancelled.
#include <cstdio>
#include <map>

#include "harness.hpp"

namespace {
using namespace conformance;

std::vector<std::string> order;

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? " " : "") + v[i];
  return s;
}

auto fire(std::string name) {
  return [name] { order.push_back(name); };
}

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  std::map<std::string, aio::TimerHandle> handles;
  for (int i = 0; i < 12; ++i) {
    std::string t = "t" + std::to_string(i);
    handles[t] = loop.call_later(1.0, fire(t));
    if (i % 4 == 1) {
      std::string e = "e" + std::to_string(i);
      handles[e] = loop.call_later(0.5, fire(e));
    }
  }
  for (int i : {3, 6, 10}) handles["t" + std::to_string(i)].cancel();
  char when[32];
  std::snprintf(when, sizeof when, "%.3f", handles["t3"].when());
  log("cancelled t3", handles["t3"].cancelled(), "when", when);
  for (int i = 0; i < 8; ++i) loop.call_later(2.0, fire("u" + std::to_string(i)));
  loop.call_later(2.0, fire("u-late")).cancel();
  co_await aio::sleep(0.75);
  log("at 0.75:", join(order));
  order.clear();
  co_await aio::sleep(2);
  log("rest:", join(order));
  order.clear();
  std::vector<aio::TimerHandle> hs;
  for (int i = 0; i < 6; ++i) hs.push_back(loop.call_at(5.0, fire("a" + std::to_string(i))));
  hs[0].cancel();
  loop.call_at(5.0, fire("a-extra"));
  co_await aio::sleep(3);
  log("call_at 5.0:", join(order));
}
}  // namespace

AIO_SCENARIO("116_same_deadline_timers") { run(main_); }
