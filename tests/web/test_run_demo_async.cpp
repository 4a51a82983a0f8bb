// run_demo_async under Node: demos run on the browser host without blocking,
// print and trace what the blocking run_demo prints and traces, can be
// cancelled, and report through on_done from a later JS turn.
#include <emscripten.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "aio/demos/demo.hpp"
#include "aio/demos/run_async.hpp"
#include "aio/trace_recorder.hpp"
#include "async_test.hpp"

using aio::demos::DemoRun;
using aio::demos::RunOptions;
using aio::demos::run_demo_async;

// JS turns the C++ side did not cause (as in test_web_host.cpp): proof that
// the JS event loop kept running while a demo did.
EM_JS(void, start_ticker, (), {
  Module.ticks = 0;
  Module.tickerOn = true;
  (function tick() {
    if (!Module.tickerOn) return;
    Module.ticks++;
    setTimeout(tick, 1);
  })();
});
EM_JS(int, stop_ticker, (), {
  Module.tickerOn = false;
  return Module.ticks;
});

namespace {

// What a run printed and traced.
struct Captured {
  std::vector<std::string> lines;
  std::vector<std::string> errors;
  std::vector<double> at_ms;  // when each line arrived (performance.now())
  aio::TraceRecorder recorder;
  int status = -1;
  bool on_done_called = false;

  RunOptions options(aio::Clock clock, bool timestamps = true) {
    RunOptions o;
    o.clock = clock;
    o.timestamps = timestamps;
    o.output = [this](std::string_view l) {
      lines.emplace_back(l);
      at_ms.push_back(emscripten_get_now());
    };
    o.error = [this](std::string_view l) { errors.emplace_back(l); };
    o.tracer = &recorder;
    return o;
  }
  std::string trace() const {
    std::ostringstream out;
    recorder.write(out, aio::TraceFormat::jsonl);
    return out.str();
  }
  std::string text() const {
    std::string all;
    for (const auto& l : lines) all += l + "\n";
    for (const auto& e : errors) all += "error: " + e + "\n";
    return all;
  }
};

// Runs `fn` after `ms` milliseconds, from a JS timer.
void after_ms(int ms, std::function<void()> fn) {
  auto* heap = new std::function<void()>(std::move(fn));
  emscripten_async_call(
      [](void* p) {
        std::unique_ptr<std::function<void()>> f(static_cast<std::function<void()>*>(p));
        (*f)();
      },
      heap, ms);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Compares every demo's blocking run and its run_demo_async run, one after
// the other (each waits for the previous one's on_done).
void compare_from(std::size_t i, std::shared_ptr<int> mismatches, std::function<void()> done) {
  const auto& demos = aio::demos::all();
  if (i == demos.size()) {
    CHECK_MSG(*mismatches == 0, std::to_string(*mismatches) + " demos differ");
    return done();
  }
  const aio::demos::Demo& demo = demos[i];
  // The browser I/O demos need the JS event loop (fetch, WebSocket) and a
  // server: a blocking run refuses them. The playground's e2e tests run them.
  if (demo.group == "io") return compare_from(i + 1, mismatches, done);
  auto blocking = std::make_shared<Captured>();
  RunOptions blocking_options = blocking->options(aio::Clock::virtual_time);
  if (demo.name == "many-tasks") blocking_options.params["n"] = "2000";  // 100,000 by default: slow to trace twice
  int status = aio::demos::run_demo(demo, blocking_options);
  auto async = std::make_shared<Captured>();
  RunOptions async_options = async->options(aio::Clock::virtual_time);
  async_options.params = blocking_options.params;
  run_demo_async(demo, async_options,
                 [=](int async_status) {
                   bool same = status == async_status && blocking->text() == async->text() &&
                               blocking->trace() == async->trace();
                   if (!same) {
                     ++*mismatches;
                     std::printf("#   %s: status %d vs %d, output %s, trace %s\n", demo.name.c_str(), status,
                                 async_status, blocking->text() == async->text() ? "same" : "differs",
                                 blocking->trace() == async->trace() ? "same" : "differs");
                   }
                   compare_from(i + 1, mismatches, done);
                 });
}

}  // namespace

ASYNC_TEST(EveryDemoPrintsAndTracesWhatTheBlockingRunDoes) {
  compare_from(0, std::make_shared<int>(0), done);
}

ASYNC_TEST(OnDoneComesFromALaterTurnAlsoForUsageErrors) {
  auto c = std::make_shared<Captured>();
  RunOptions o = c->options(aio::Clock::virtual_time);
  o.params["nope"] = "1";
  run_demo_async("say-after", o, [c, done](int status) {
    c->on_done_called = true;
    CHECK(status == aio::demos::exit_usage);
    CHECK(c->errors.size() == 1 && contains(c->errors[0], "has no parameter 'nope'"));
    CHECK(c->lines.empty());
    done();
  });
  CHECK(!c->on_done_called);
}

ASYNC_TEST(UnknownAndUnavailableDemosSayWhy) {
  auto unknown = std::make_shared<Captured>();
  run_demo_async("no-such-demo", unknown->options(aio::Clock::virtual_time), [unknown, done](int status) {
    CHECK(status == aio::demos::exit_usage);
    CHECK(unknown->errors.size() == 1 && contains(unknown->errors[0], "unknown demo 'no-such-demo'"));
    // The threads demos are not listed in this build, and say why.
    CHECK(aio::demos::find("threadsafe") == nullptr);
    auto threads = std::make_shared<Captured>();
    run_demo_async("threadsafe", threads->options(aio::Clock::virtual_time), [threads, done](int status) {
      CHECK(status == aio::demos::exit_usage);
      CHECK_MSG(threads->errors.size() == 1 && contains(threads->errors[0], "cannot run in this build") &&
                    contains(threads->errors[0], "threads"),
                threads->text());
      done();
    });
  });
}

ASYNC_TEST(RealClockMainDemoLetsJsRunMeanwhile) {
  auto c = std::make_shared<Captured>();
  RunOptions o = c->options(aio::Clock::real, false);
  o.params = {{"first", "0.05"}, {"second", "0.1"}};
  double t0 = emscripten_get_now();
  start_ticker();
  run_demo_async("say-after", o, [c, t0, done](int status) {
    int ticks = stop_ticker();
    double elapsed = emscripten_get_now() - t0;
    CHECK(status == aio::demos::exit_ok);
    CHECK_MSG(c->lines.size() == 4 && c->lines[1] == "hello" && c->lines[2] == "world", c->text());
    CHECK_MSG(elapsed >= 95, std::to_string(elapsed) + " ms");
    CHECK_MSG(ticks >= 10, std::to_string(ticks) + " JS timer turns while the demo ran");
    done();
  });
}

ASYNC_TEST(CancelStopsTheMainTaskThenShutsDown) {
  auto c = std::make_shared<Captured>();
  RunOptions o = c->options(aio::Clock::real, false);
  o.params = {{"first", "5"}, {"second", "10"}};
  double t0 = emscripten_get_now();
  std::shared_ptr<DemoRun> run = run_demo_async("say-after", o, [c, t0, done](int status) {
    double elapsed = emscripten_get_now() - t0;
    CHECK(status == aio::demos::exit_cancelled);
    CHECK_MSG(elapsed < 1000, std::to_string(elapsed) + " ms: the sleeps were not cut short");
    CHECK_MSG(c->lines.size() == 1 && contains(c->lines[0], "started at"), c->text());
    CHECK_MSG(c->errors.size() == 1 && contains(c->errors[0], "cancelled"), c->text());
    // The shutdown cancelled the two say_after tasks: their traces end cancelled.
    CHECK_MSG(contains(c->trace(), "\"task_cancelled\""), c->trace());
    done();
  });
  after_ms(50, [run] {
    CHECK(!run->done());
    run->cancel();
    run->cancel();  // a second call changes nothing
  });
}

ASYNC_TEST(RealClockProgramDemoIsPlayedBackInRealTime) {
  // call-later: callbacks at 0.1 s and 0.2 s, run_forever stopped at 0.4 s or so.
  auto virtual_run = std::make_shared<Captured>();
  int status = aio::demos::run_demo("call-later", virtual_run->options(aio::Clock::virtual_time, false));
  CHECK(status == aio::demos::exit_ok);
  auto c = std::make_shared<Captured>();
  double t0 = emscripten_get_now();
  start_ticker();
  run_demo_async("call-later", c->options(aio::Clock::real, false), [=](int status) {
    int ticks = stop_ticker();
    CHECK(status == aio::demos::exit_ok);
    CHECK_MSG(c->lines == virtual_run->lines, c->text() + "---\n" + virtual_run->text());
    CHECK(!c->at_ms.empty());
    double spread = c->at_ms.back() - t0;
    CHECK_MSG(spread >= 190, "last line after " + std::to_string(spread) + " ms, expected about 200");
    CHECK_MSG(ticks >= 10, std::to_string(ticks) + " JS timer turns during the play-back");
    done();
  });
}

ASYNC_TEST(CancelStopsAPlayBack) {
  auto c = std::make_shared<Captured>();
  RunOptions o = c->options(aio::Clock::real, false);
  o.params = {{"seconds", "5"}};
  double t0 = emscripten_get_now();
  auto run = run_demo_async("display-date", o, [c, t0, done](int status) {
    CHECK(status == aio::demos::exit_cancelled);
    CHECK_MSG(emscripten_get_now() - t0 < 1500, "the play-back went on");
    CHECK_MSG(c->lines.size() <= 3, c->text());
    CHECK_MSG(!c->errors.empty() && contains(c->errors.back(), "cancelled"), c->text());
    done();
  });
  after_ms(1200, [run] { run->cancel(); });
}

ASYNC_TEST(CancelBeforeAProgramDemoStarts) {
  auto c = std::make_shared<Captured>();
  auto run = run_demo_async("call-soon-stop", c->options(aio::Clock::virtual_time), [c, done](int status) {
    CHECK(status == aio::demos::exit_cancelled);
    CHECK_MSG(c->lines.empty(), c->text());
    done();
  });
  run->cancel();
}

ASYNC_TEST(DroppingTheHandleDoesNotStopTheRun) {
  auto c = std::make_shared<Captured>();
  run_demo_async("say-after", c->options(aio::Clock::virtual_time), [c, done](int status) {
    CHECK(status == aio::demos::exit_ok);
    CHECK_MSG(c->lines.size() == 4 && c->lines[3] == "2.000 finished at 2.000", c->text());
    done();
  });  // the returned handle is dropped at once
}

int main() { return aio_test::main_entry(); }
