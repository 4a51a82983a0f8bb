// Twin of py/scenarios/142_wait_for_zero_none.py: wait_for with timeout None waits; 0 on a
// done future returns its result; 0 or negative on a pending one cancels it at once.
#include "aio/wait_for.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> job(std::string v, double d) {
  try {
    co_await aio::sleep(d);
    co_return v;
  } catch (const aio::CancelledError&) {
    log("job", v, "cancelled");
    throw;
  }
}

aio::Task<void> main_() {
  std::string r = co_await aio::wait_for(job("a", 2), std::nullopt);
  log("None ->", r);
  auto f = aio::get_running_loop().create_future<std::string>();
  f.set_result("done-future");
  r = co_await aio::wait_for(f, 0);
  log("0 on done future ->", r);
  try {
    co_await aio::wait_for(job("b", 1), 0);
  } catch (const aio::TimeoutError&) {
    log("0 on coroutine ->", fmt_exc());
  }
  auto t = aio::create_task(job("c", 1));
  try {
    co_await aio::wait_for(t, -1);
  } catch (const aio::TimeoutError&) {
    log("negative on task ->", fmt_exc(), "task cancelled", t.cancelled());
  }
}
}  // namespace

AIO_SCENARIO("142_wait_for_zero_none") { run(main_); }
