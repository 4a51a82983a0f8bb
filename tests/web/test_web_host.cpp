// The browser host under Node: the loop runs in slices from the JS event
// loop, sleeps with one setTimeout for the next timer, wakes when JS
// delivers work, and keeps run_forever/stop/is_running real.
#include <emscripten.h>

#include <cmath>
#include <memory>
#include <string>

#include "aio/aio.hpp"
#include "aio/web/web_host.hpp"
#include "async_test.hpp"
#include "id_registry.hpp"

using aio::web::host_of;

// JS turns the C++ side did not cause: a setImmediate chain counting how
// often JS got control back while the loop was running.
EM_JS(void, start_js_ticker, (), {
  Module.jsTicks = 0;
  Module.tickerOn = true;
  (function tick() {
    if (!Module.tickerOn) return;
    Module.jsTicks++;
    setImmediate(tick);
  })();
});
EM_JS(int, stop_js_ticker, (), {
  Module.tickerOn = false;
  return Module.jsTicks;
});

// The longest time JS went without control while the ticker ran, in ms.
EM_JS(void, start_gap_meter, (), {
  Module.maxGap = 0;
  Module.gapMeterOn = true;
  var last = performance.now();
  (function tick() {
    if (!Module.gapMeterOn) return;
    var now = performance.now();
    Module.maxGap = Math.max(Module.maxGap, now - last);
    last = now;
    setImmediate(tick);
  })();
});
EM_JS(double, stop_gap_meter, (), {
  Module.gapMeterOn = false;
  return Module.maxGap;
});

// Calls back into C++ from a JS timer, as a fetch or WebSocket event would.
EM_JS(void, call_later_from_js, (double ms, void* arg), {
  setTimeout(function() { _deliver_from_js(arg); }, ms);
});

namespace {

std::shared_ptr<aio::EventLoop> new_loop(aio::Clock clock = aio::Clock::real) {
  return std::make_shared<aio::EventLoop>(aio::EventLoop::Options{.clock = clock});
}

aio::Task<int> yield_many(int n) {
  for (int i = 0; i < n; ++i) co_await aio::sleep(0);
  co_return n;
}

aio::Task<void> busy_steps(double per_step, int steps) {
  for (int i = 0; i < steps; ++i) {
    double until = emscripten_get_now() + per_step * 1000;
    while (emscripten_get_now() < until) {
    }
    co_await aio::sleep(0);
  }
}

aio::Task<void> sleep_for(double s) { co_await aio::sleep(s); }

aio::Task<void> fail() {
  co_await aio::sleep(0);
  throw aio::ValueError("boom");
}

struct Delivery {
  aio::EventLoop* loop;
  aio::Future<std::string> fut;
};

aio::Task<std::string> await_delivery(aio::Future<std::string> fut) { co_return co_await fut; }

aio::Task<double> sleep_then_time(double s) {
  co_await aio::sleep(s);
  co_return aio::get_running_loop().time();
}

}  // namespace

// A promise that JS settles through a chain of microtasks, as an async
// function that awaits nothing slow does.
EM_JS(void, deliver_in_microtasks, (int hops, void* arg), {
  var p = Promise.resolve();
  for (var i = 0; i < hops; i++) p = p.then(function() {});
  p.then(function() { _deliver_wait_from_js(arg); });
});

namespace {

// Waits on an external wait that JS settles in microtasks, while another
// task sleeps: the wait is delivered at virtual time 0, before any jump.
aio::Task<double> external_wait_settled_by_js(aio::EventLoop* loop) {
  auto sleeper = aio::create_task(sleep_then_time(10));
  auto fut = loop->create_future<std::string>();
  loop->begin_external_wait();
  deliver_in_microtasks(20, new Delivery{loop, fut});
  co_await fut;
  double delivered_at = loop->time();
  co_await sleeper;
  co_return delivered_at;
}

// The virtual time at which `fut` is delivered, while another task sleeps.
aio::Task<double> delivery_time_beside_a_sleeper(aio::Future<std::string> fut) {
  auto sleeper = aio::create_task(sleep_then_time(10));
  co_await fut;
  double delivered_at = aio::get_running_loop().time();
  co_await sleeper;
  co_return delivered_at;
}

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void deliver_from_js(void* arg) {
  auto* d = static_cast<Delivery*>(arg);
  d->fut.set_result("delivered");
  d->loop->end_external_work();
  host_of(*d->loop).wake();
  delete d;
}

extern "C" EMSCRIPTEN_KEEPALIVE void deliver_wait_from_js(void* arg) {
  auto* d = static_cast<Delivery*>(arg);
  d->fut.set_result("delivered");
  d->loop->end_external_wait();
  host_of(*d->loop).wake();
  delete d;
}

ASYNC_TEST(TheBrowserHostIsTheDefaultHost) {
  std::unique_ptr<aio::Host> host = aio::make_default_host();
  CHECK(aio::web::as_web_host(*host) != nullptr);
  done();
}

ASYNC_TEST(RunUntilCompleteHandsControlBackToJs) {
  auto loop = new_loop();
  auto* l = loop.get();
  start_js_ticker();
  aio::web::run_until_complete(*l, yield_many(200000), [loop = std::move(loop), done](auto& fut, std::exception_ptr error) {
    int ticks = stop_js_ticker();
    CHECK(!error);
    CHECK(fut.result() == 200000);
    const auto& stats = host_of(*loop).stats();
    CHECK_MSG(stats.slices > 1, std::to_string(stats.slices) + " slices");
    CHECK_MSG(ticks > 1, std::to_string(ticks) + " JS turns");
    CHECK(!loop->is_running());
    loop->close();
    done();
  });
  CHECK(l->is_running());
}

ASYNC_TEST(SliceBudgetBoundsHowLongJsWaits) {
  auto loop = new_loop();
  auto* l = loop.get();
  host_of(*l).set_slice_budget(0.008);
  aio::web::run_until_complete(*l, busy_steps(0.002, 40), [loop = std::move(loop), done](auto& fut, std::exception_ptr error) {
    CHECK(!error);
    // 80 ms of work in 2 ms steps with an 8 ms budget: about 10 slices
    // (one iteration more than fits, then the hop).
    auto slices = host_of(*loop).stats().slices;
    CHECK_MSG(slices >= 8 && slices <= 30, std::to_string(slices) + " slices");
    loop->close();
    done();
  });
}

aio::Task<void> short_then_long_steps() {
  co_await yield_many(5000);              // the slice reads the clock only every few iterations...
  co_await busy_steps(0.002, 50);         // ...until iterations turn long: 100 ms of work
}

ASYNC_TEST(SliceBudgetHoldsWhenShortIterationsTurnLong) {
  auto loop = new_loop();
  auto* l = loop.get();
  host_of(*l).set_slice_budget(0.008);
  start_gap_meter();
  aio::web::run_until_complete(*l, short_then_long_steps(), [loop = std::move(loop), done](auto&, std::exception_ptr error) {
    double gap_ms = stop_gap_meter();
    CHECK(!error);
    // A slice overruns its 8 ms by at most the few 2 ms iterations it ran
    // without reading the clock (8 at most, run_slice): about 24 ms. Without
    // the deadline JS would wait out the 100 ms of work; the margin is for a
    // loaded machine.
    CHECK_MSG(gap_ms < 60, std::to_string(gap_ms) + " ms without a JS turn");
    loop->close();
    done();
  });
}

ASYNC_TEST(TimersSleepInOneSetTimeout) {
  auto loop = new_loop();
  auto* l = loop.get();
  double t0 = emscripten_get_now();
  aio::web::run_until_complete(*l, sleep_for(0.05), [loop = std::move(loop), done, t0](auto&, std::exception_ptr error) {
    double elapsed_ms = emscripten_get_now() - t0;
    CHECK(!error);
    CHECK_MSG(elapsed_ms >= 49, std::to_string(elapsed_ms) + " ms");
    const auto& stats = host_of(*loop).stats();
    // No spinning while the timer is pending: a few slices around one setTimeout.
    CHECK_MSG(stats.slices <= 6, std::to_string(stats.slices) + " slices");
    CHECK(stats.timers >= 1 && stats.timers <= 3);
    loop->close();
    done();
  });
}

ASYNC_TEST(RunForeverRunsUntilStop) {
  auto loop = new_loop();
  auto* l = loop.get();
  auto iterations = std::make_shared<int>(0);
  // A callback that reschedules itself, as asyncio's run_forever examples do.
  std::shared_ptr<std::function<void()>> again = std::make_shared<std::function<void()>>();
  *again = [l, iterations, again] {
    if (++*iterations == 5) l->stop();
    else l->call_soon([again] { (*again)(); });
  };
  l->call_soon([again] { (*again)(); });
  aio::web::run_forever(*l, [loop = std::move(loop), iterations, again, done](std::exception_ptr error) {
    CHECK(!error);
    CHECK(*iterations == 5);
    CHECK(!loop->is_running());
    *again = nullptr;  // break the cycle
    // The loop can run again, then be closed.
    loop->call_later(0.001, [l = loop.get()] { l->stop(); });
    aio::EventLoop* raw = loop.get();
    aio::web::run_forever(*raw, [loop = std::move(loop), done](std::exception_ptr error) {
      CHECK(!error);
      loop->close();
      CHECK(loop->is_closed());
      done();
    });
  });
  CHECK(l->is_running());
  bool threw = false;
  try {
    aio::web::run_forever(*l, [](std::exception_ptr) {});
  } catch (const aio::RuntimeError&) {
    threw = true;
  }
  CHECK(threw);
}

ASYNC_TEST(VirtualClockJumpsWithoutWaiting) {
  auto loop = new_loop(aio::Clock::virtual_time);
  auto* l = loop.get();
  double t0 = emscripten_get_now();
  aio::web::run_until_complete(*l, sleep_for(3600), [loop = std::move(loop), done, t0](auto&, std::exception_ptr error) {
    CHECK(!error);
    CHECK(emscripten_get_now() - t0 < 1000);
    CHECK(loop->time() >= 3600);
    loop->close();
    done();
  });
}

ASYNC_TEST(PacedVirtualClockLetsRealTimePass) {
  auto loop = new_loop(aio::Clock::virtual_time);
  auto* l = loop.get();
  host_of(*l).set_virtual_speed(10);
  double t0 = emscripten_get_now();
  aio::web::run_until_complete(*l, sleep_for(0.5), [loop = std::move(loop), done, t0](auto&, std::exception_ptr error) {
    double elapsed_ms = emscripten_get_now() - t0;
    CHECK(!error);
    // 0.5 virtual seconds at 10x: 50 ms of real time, in one setTimeout.
    CHECK_MSG(elapsed_ms >= 49 && elapsed_ms < 1000, std::to_string(elapsed_ms) + " ms");
    CHECK(loop->time() == 0.5);
    CHECK(host_of(*loop).stats().timers == 1);
    loop->close();
    done();
  });
}

ASYNC_TEST(BadSpeedsAndBudgetsAreValueErrors) {
  auto loop = new_loop();
  int errors = 0;
  for (double bad : {-1.0, std::nan("")}) {
    try {
      host_of(*loop).set_virtual_speed(bad);
    } catch (const aio::ValueError&) {
      ++errors;
    }
    try {
      host_of(*loop).set_slice_budget(bad);
    } catch (const aio::ValueError&) {
      ++errors;
    }
  }
  CHECK(errors == 4);
  done();
}

ASYNC_TEST(BlockingRunSleepsInsteadOfSpinningInNode) {
  auto loop = new_loop();
  double t0 = emscripten_get_now();
  loop->run_until_complete(sleep_for(0.05));
  double elapsed_ms = emscripten_get_now() - t0;
  CHECK_MSG(elapsed_ms >= 49, std::to_string(elapsed_ms) + " ms");
  auto waits = host_of(*loop).stats().blocking_waits;
  CHECK_MSG(waits >= 1 && waits <= 5, std::to_string(waits) + " blocking waits");
  loop->close();
  done();
}

ASYNC_TEST(WakesWhenJsDeliversWork) {
  auto loop = new_loop(aio::Clock::virtual_time);
  auto* l = loop.get();
  auto fut = l->create_future<std::string>();
  // Outside work in flight: the virtual clock must not jump past it, and the
  // host idles (nothing scheduled) until JS calls back in 20 ms.
  l->begin_external_work();
  call_later_from_js(20, new Delivery{l, fut});
  double t0 = emscripten_get_now();
  aio::web::run_until_complete(*l, await_delivery(fut), [loop = std::move(loop), done, t0](auto& f, std::exception_ptr error) {
    CHECK(!error);
    CHECK(f.result() == "delivered");
    CHECK(emscripten_get_now() - t0 >= 19);
    CHECK(loop->time() == 0);
    const auto& stats = host_of(*loop).stats();
    CHECK(stats.wakes == 1);
    CHECK_MSG(stats.slices <= 4, std::to_string(stats.slices) + " slices");
    loop->close();
    done();
  });
}

// An external wait (a JS promise, which may be an async function awaiting
// this loop's own tasks) holds the virtual clock for one JS turn only: a
// wait nobody settles used to stop the clock, and the run, for good.
ASYNC_TEST(VirtualClockJumpsOverAnExternalWaitAfterJsHadItsTurn) {
  auto loop = new_loop(aio::Clock::virtual_time);
  auto* l = loop.get();
  l->begin_external_wait();  // not settled during the run
  aio::web::run_until_complete(*l, sleep_then_time(3600), [loop = std::move(loop), done](auto& f, std::exception_ptr error) {
    CHECK(!error);
    CHECK(f.result() == 3600);
    CHECK(loop->only_external_waits());
    loop->end_external_wait();
    CHECK(!loop->has_external_work());
    loop->close();
    done();
  });
}

// ...but a wait JS settles on its own (in microtasks) comes before the jump.
ASYNC_TEST(VirtualClockLetsJsSettleAnExternalWaitBeforeJumping) {
  auto loop = new_loop(aio::Clock::virtual_time);
  auto* l = loop.get();
  aio::web::run_until_complete(*l, external_wait_settled_by_js(l), [loop = std::move(loop), done](auto& f, std::exception_ptr error) {
    CHECK(!error);
    CHECK(f.result() == 0);
    CHECK(loop->time() == 10);
    loop->close();
    done();
  });
}

// Outside work that is not a wait (a fetch, an executor job) is waited for,
// even beside an external wait: the clock does not jump past it.
ASYNC_TEST(VirtualClockStillWaitsForOutsideWorkBesideAnExternalWait) {
  auto loop = new_loop(aio::Clock::virtual_time);
  auto* l = loop.get();
  auto fut = l->create_future<std::string>();
  l->begin_external_wait();
  l->begin_external_work();
  CHECK(!l->only_external_waits());
  call_later_from_js(20, new Delivery{l, fut});
  aio::web::run_until_complete(*l, delivery_time_beside_a_sleeper(fut), [loop = std::move(loop), done](auto& f, std::exception_ptr error) {
    CHECK(!error);
    CHECK(f.result() == 0);  // the sleeper's 10 s came after the delivery (20 ms of real time)
    CHECK(loop->time() == 10);
    loop->end_external_wait();
    loop->close();
    done();
  });
}

ASYNC_TEST(ExceptionOfTheMainTaskReachesTheCallback) {
  auto loop = new_loop();
  auto* l = loop.get();
  aio::web::run_until_complete(*l, fail(), [loop = std::move(loop), done](auto& fut, std::exception_ptr error) {
    CHECK(!error);
    CHECK(fut.done());
    CHECK(aio::describe_exception(fut.exception()) == "ValueError: boom");
    loop->close();
    done();
  });
}

ASYNC_TEST(DestroyingTheLoopMidRunIsHarmless) {
  auto loop = new_loop();
  loop->call_soon([] {});
  aio::web::run_forever(*loop, [](std::exception_ptr) {});
  // Only the host's pending hop refers to the loop: after the loop (and its
  // host) are gone the hop finds nothing. Stopping first is what asyncio
  // requires before close().
  loop->stop();
  emscripten_async_call([](void* p) { static_cast<std::function<void()>*>(p)->operator()(); delete static_cast<std::function<void()>*>(p); },
                        new std::function<void()>(done), 30);
  loop->end_run();
  loop.reset();
}

// The numbers JS holds for hosts, ops and WebSockets: a callback that comes
// after its object is gone must find nothing, never a newer object.
ASYNC_TEST(IdRegistryNeverHandsAStaleIdANewObject) {
  using aio::web::detail::IdRegistry;
  int objs[100];
  IdRegistry<int> r;
  int a = r.add(&objs[0]);
  CHECK(a != 0);
  CHECK(r.find(a) == &objs[0]);
  r.remove(a);
  CHECK(r.find(a) == nullptr);
  int b = r.add(&objs[1]);
  CHECK(b != a);
  CHECK(r.find(a) == nullptr);
  CHECK(r.find(b) == &objs[1]);
  CHECK(r.find(0) == nullptr);
  CHECK(r.find(12345) == nullptr);
  r.remove(12345);  // unknown: nothing happens
  r.remove(b);
  r.remove(b);  // twice: nothing more happens
  CHECK(r.size() == 0);
  // Many objects, removed in a scattered order (which sweeps the removed
  // entries out more than once): each id finds its own object until removed.
  int ids[100];
  for (int i = 0; i < 100; ++i) ids[i] = r.add(&objs[i]);
  for (int i = 0; i < 100; i += 3) r.remove(ids[i]);
  for (int i = 1; i < 100; i += 3) r.remove(ids[i]);
  CHECK(r.size() == 33);
  bool all_right = true;
  for (int i = 0; i < 100; ++i) all_right &= r.find(ids[i]) == (i % 3 == 2 ? &objs[i] : nullptr);
  CHECK(all_right);
  for (int i = 0; i < 100; ++i) all_right &= r.add(&objs[i]) != ids[i];
  CHECK(all_right);
  CHECK(r.size() == 133);
  // find_if: a lookup by something other than the id, which never finds
  // a removed object.
  IdRegistry<int> f;
  int two = f.add(&objs[2]);
  f.add(&objs[3]);
  CHECK(f.find_if([&](int* p) { return p == &objs[2]; }) == &objs[2]);
  CHECK(f.find_if([&](int* p) { return p > &objs[2]; }) == &objs[3]);
  f.remove(two);
  CHECK(f.find_if([&](int* p) { return p == &objs[2]; }) == nullptr);
  CHECK(f.find_if([](int*) { return true; }) == &objs[3]);
  // After 2^32 ids the counter wraps: 0 is skipped, and ids past the wrap
  // are found like the others (JS sees ids >= 2^31 as negative ints).
  IdRegistry<int> w(0xFFFFFFFEu);
  int last = w.add(&objs[0]);
  int wrapped = w.add(&objs[1]);
  CHECK(last == -1);
  CHECK(wrapped == 1);
  CHECK(w.find(last) == &objs[0]);
  CHECK(w.find(wrapped) == &objs[1]);
  w.remove(last);
  CHECK(w.find(last) == nullptr);
  CHECK(w.find(wrapped) == &objs[1]);
  done();
}

int main() { return aio_test::main_entry(); }
