// Twin of py/scenarios/122_barrier.py: Barrier(3) over two rounds; the last arrival passes
// first, indices are arrival order.
#include "aio/gather.hpp"
#include "aio/sync/barrier.hpp"
#include "harness.hpp"

namespace {
using namespace conformance;

aio::Task<void> party(std::string name, aio::Barrier& barrier, std::vector<double> delays) {
  for (std::size_t phase = 0; phase < delays.size(); ++phase) {
    co_await aio::sleep(delays[phase]);
    log(name, "arrives phase", phase, "n_waiting", barrier.n_waiting());
    int idx = co_await barrier.wait();
    log(name, "passes phase", phase, "index", idx);
  }
}

aio::Task<void> main_() {
  aio::Barrier barrier(3);
  // Named vectors: GCC 12 rejects a braced list inside a co_await expression.
  std::vector<double> d0{1, 3}, d1{2, 1}, d2{3, 2};
  co_await aio::gather(party("p0", barrier, d0), party("p1", barrier, d1), party("p2", barrier, d2));
  log("parties", barrier.parties(), "broken", barrier.broken());
}
}  // namespace

AIO_SCENARIO("122_barrier") { run(main_); }
