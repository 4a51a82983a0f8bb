// Twin of py/scenarios/172_wait_duplicates_timeout_zero.py: wait() with a duplicate, wait with
// timeout=0 after a task's first step, FIRST_EXCEPTION without failure, as_completed with a
// duplicate.
#include <algorithm>

#include "aio/as_completed.hpp"
#include "aio/wait.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<std::string> job(std::string name, double d) {
  if (d > 0) co_await aio::sleep(d);
  log(name, "finished");
  co_return name;
}

template <class V, class T>
bool contains(const V& v, const T& t) {
  return std::find(v.begin(), v.end(), t) != v.end();
}

aio::Task<void> main_() {
  auto a = aio::create_task(job("a", 1));
  std::vector<aio::Task<std::string>> twice{a, a};
  auto w1 = co_await aio::wait(twice);
  log("duplicate wait: done", w1.done.size(), "pending", w1.pending.size());

  auto quick = aio::create_task(job("quick", 0));
  auto slow = aio::create_task(job("slow", 1));
  std::vector<aio::Task<std::string>> both{quick, slow};
  auto w2 = co_await aio::wait(both, {.timeout = 0});
  log("timeout=0: quick done", contains(w2.done, quick), "slow pending", contains(w2.pending, slow));
  co_await slow;

  auto b = aio::create_task(job("b", 1));
  auto c = aio::create_task(job("c", 2));
  std::vector<aio::Task<std::string>> bc{b, c};
  auto w3 = co_await aio::wait(bc, {.return_when = aio::ReturnWhen::first_exception});
  log("FIRST_EXCEPTION without failure: done", w3.done.size(), "pending", w3.pending.size());

  auto d = aio::create_task(job("d", 1));
  std::vector<aio::Task<std::string>> dd{d, d};
  int n = 0;
  for (auto f : aio::as_completed(dd)) {
    std::string r = co_await f;
    log("as_completed ->", r);
    ++n;
  }
  log("as_completed yielded", n);
}
}  // namespace

AIO_SCENARIO("172_wait_duplicates_timeout_zero") { run(main_); }
