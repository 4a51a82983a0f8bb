// Twin of py/scenarios/165_negative_delays.py: call_later with a negative or zero delay runs
// after the callbacks already ready, in deadline order; sleep(-1) yields like sleep(0).
#include "aio/gather.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> ticker(std::string name, int n, double delay) {
  for (int i = 0; i < n; ++i) {
    log(name, i);
    co_await aio::sleep(delay);
  }
}

auto say(std::string what) {
  return [what] { log(what); };
}

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  co_await aio::sleep(1);
  auto h0 = loop.call_later(0, say("later 0"));
  loop.call_soon(say("soon 1"));
  auto hm1 = loop.call_later(-1, say("later -1"));
  auto hm2 = loop.call_later(-2, say("later -2"));
  loop.call_at(loop.time() - 0.5, say("at now-0.5"));
  loop.call_soon(say("soon 2"));
  log("when", hm2.when(), hm1.when(), h0.when());
  co_await aio::sleep(0);
  log("after sleep(0)");
  co_await aio::sleep(0);
  log("after second sleep(0)");
  auto a = aio::create_task(ticker("neg", 3, -1));
  auto b = aio::create_task(ticker("zero", 3, 0));
  co_await aio::gather(a, b);
  std::string r = co_await aio::sleep(-5, std::string("result"));
  log("sleep(-5) ->", r);
}
}  // namespace

AIO_SCENARIO("165_negative_delays") { run(main_); }
