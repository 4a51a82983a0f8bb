// Twin of py/scenarios/145_as_completed_reverse_call_later.py: as_completed over plain futures
// completed by call_later in reverse order.
#include "aio/as_completed.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> main_() {
  aio::EventLoop& loop = aio::get_running_loop();
  std::vector<aio::Future<std::string>> futs;
  for (int i = 0; i < 4; ++i) futs.push_back(loop.create_future<std::string>());
  for (int i = 0; i < 4; ++i) {
    auto f = futs[i];
    loop.call_later(4 - i, [f, i]() mutable { f.set_result("fut" + std::to_string(i)); });
  }
  for (auto f : aio::as_completed(futs)) {
    std::string r = co_await f;
    log("got", r);
  }
}
}  // namespace

AIO_SCENARIO("145_as_completed_reverse_call_later") { run(main_); }
