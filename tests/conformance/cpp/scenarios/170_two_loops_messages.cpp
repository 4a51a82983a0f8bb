// Twin of py/scenarios/170_two_loops_messages.py: get_running_loop() outside a loop, running a
// loop inside another, and futures of another loop given to run_until_complete, gather, wait_for.
#include "aio/gather.hpp"
#include "aio/wait_for.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> inside(aio::EventLoop& loop, aio::EventLoop& other, aio::Future<void> foreign) {
  try {
    other.run_until_complete(other.create_future<void>());
  } catch (const aio::RuntimeError&) {
    log("other loop inside:", fmt_exc());
  }
  auto mine = loop.create_future<void>();
  try {
    (void)aio::gather(mine, foreign);
  } catch (const aio::ValueError&) {
    log("gather of two loops:", fmt_exc());
  }
  try {
    co_await aio::wait_for(foreign, 1);
  } catch (const aio::ValueError&) {
    log("wait_for foreign:", fmt_exc());
  }
  co_return "done";
}
}  // namespace

AIO_SCENARIO("170_two_loops_messages") {
  try {
    aio::get_running_loop();
  } catch (const aio::RuntimeError&) {
    print("get_running_loop outside: " + fmt_exc());
  }
  aio::EventLoop other({.clock = aio::Clock::virtual_time});
  aio::EventLoop& loop = new_loop();
  auto foreign = other.create_future<void>();
  log({"inside ->", loop.run_until_complete(inside(loop, other, foreign))});
  try {
    loop.run_until_complete(foreign);
  } catch (const aio::ValueError&) {
    log("run_until_complete foreign:", fmt_exc());
  }
  other.close();
  loop.close();
}
