// The "queues" demos: asyncio.Queue between producer and consumer tasks,
// ported from the asyncio tutorials (/work/shared/seeds). Each function keeps
// the shape of its Python twin in tests/conformance/py/scenarios/.
#include <string>
#include <vector>

#include "aio/demos/demo.hpp"
#include "aio/errors.hpp"
#include "aio/gather.hpp"
#include "aio/queue.hpp"
#include "aio/sleep.hpp"
#include "support.hpp"

namespace aio::demos {
namespace {

using support::make_demo;
using support::with_main;

// ---- producer-consumer (049) ------------------------------------------------

Task<void> producer(DemoContext& ctx, Queue<int>& q) {
  for (int i = 0; i < ctx.param("items", 5); ++i) {
    co_await q.put(i);  // waits while the queue is full
    ctx.print("produced", i, "qsize", q.qsize());
  }
  ctx.print("producer done");
}

Task<void> consumer(DemoContext& ctx, std::string name, Queue<int>& q) {
  try {
    while (true) {
      int item = co_await q.get();  // waits while the queue is empty
      ctx.print(name, "got", item);
      co_await sleep(ctx.param("work", 1.0));
      ctx.print(name, "done", item);
      q.task_done();
    }
  } catch (const CancelledError&) {
    ctx.print(name, "cancelled");
    throw;
  }
}

Task<void> producer_consumer(DemoContext& ctx) {
  Queue<int> q(ctx.param("maxsize", 2L));
  std::vector<Task<void>> consumers;
  for (int i = 0; i < ctx.param("consumers", 2); ++i)
    consumers.push_back(create_task(consumer(ctx, "c" + py::str(i), q)));
  co_await producer(ctx, q);
  co_await q.join();  // until task_done() was called for every item
  ctx.print("all items processed");
  for (auto& c : consumers) c.cancel();
  auto res = co_await gather(return_exceptions, consumers);
  std::vector<std::string> names;  // [type(r).__name__ for r in res]
  for (const auto& r : res) names.push_back(r.has_exception() ? exception_type_name(r.exception()) : "NoneType");
  ctx.print(names);
}

}  // namespace

void add_queues_demos(std::vector<Demo>& out) {
  Demo d = with_main(make_demo("producer-consumer", "queues", "049_seed_queue_producer_consumer",
                               "Producer and consumers around a bounded Queue",
                               "The producer waits whenever the queue holds maxsize items; consumers wait when it "
                               "is empty. join() returns once every item was marked task_done(), and the idle "
                               "consumers are then cancelled."),
                     producer_consumer);
  d.params = {{"items", ParamKind::integer, "5", "how many items to produce"},
              {"consumers", ParamKind::integer, "2", "how many consumer tasks"},
              {"maxsize", ParamKind::integer, "2", "the queue's capacity (0: unbounded)"},
              {"work", ParamKind::number, "1.0", "seconds a consumer spends on an item"}};
  out.push_back(std::move(d));
}

}  // namespace aio::demos
