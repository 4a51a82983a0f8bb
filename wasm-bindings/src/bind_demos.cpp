// The demo programs (runtime/demos) for JS: runtime.demos.list() and
// runtime.demos.run(name, params, {onOutput, onError, onTrace, clock}),
// started with aio::demos::run_demo_async, which drives them on the browser
// host without blocking; the JS side gets a Promise of the exit status and
// a cancel().
#include <emscripten/bind.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "aio/config.hpp"
#if AIO_HAS_THREADS
#include <emscripten/threading.h>
#endif

#include "aio/demos/demo.hpp"
#include "aio/demos/run_async.hpp"
#include "aio/trace.hpp"
#include "aio/trace_recorder.hpp"
#include "js_interop.hpp"

namespace aio::wasm {
namespace {

using Ptr = std::uintptr_t;

const char* kind_name(demos::ParamKind k) { return demos::param_kind_name(k); }

// Runs `fn` on the main runtime thread, where the JS callbacks live, and
// waits for it. A demo's own threads print too (the threadsafe demo's loop
// thread), and a JS function can only be called on the thread whose realm
// it belongs to. The main thread is then blocked in the demo itself (on a
// result from that thread), and Emscripten runs calls proxied to it while it
// waits.
void on_main_thread(const std::function<void()>& fn) {
#if AIO_HAS_THREADS
  if (!emscripten_is_main_runtime_thread()) {
    emscripten_sync_run_in_main_runtime_thread(
        EM_FUNC_SIG_VI, static_cast<void (*)(const std::function<void()>*)>([](const std::function<void()>* f) { (*f)(); }),
        &fn);
    return;
  }
#endif
  fn();
}

val demos_list() {
  val out = val::array();
  for (const demos::Demo& d : demos::all()) {
    val o = val::object();
    o.set("name", d.name);
    o.set("title", d.title);
    o.set("group", d.group);
    o.set("summary", d.summary);
    o.set("scenario", d.scenario);
    val params = val::array();
    for (const demos::Param& p : d.params) {
      val q = val::object();
      q.set("name", p.name);
      q.set("kind", std::string(kind_name(p.kind)));
      q.set("default", p.default_value);
      q.set("help", p.help);
      params.call<void>("push", q);
    }
    o.set("params", params);
    out.call<void>("push", o);
  }
  return out;
}

// Hands trace events to JS in batches: the lines of the events as `aio run
// --trace-format jsonl` writes them, joined by '\n', as a Uint8Array view of
// the UTF-8 valid during the call (the JS layer splits it into lines and
// makes the event objects). One call per slice of the host rather than
// one per event: a demo with 100,000 tasks records about 900,000 events, and
// a call into JS with an object built through Embind costs ~15 us each.
// Flushed after each slice, before each printed line (so JS sees events and
// output in the order they happened), when the batch grows large (a program
// demo runs in one JS turn), and before the run's end is reported.
// A JS callback that throws is ignored (tracers must not disturb the loop).
class JsTracer final : public Tracer {
 public:
  explicit JsTracer(val fn) : fn_(std::move(fn)) {}
  void record(TraceEvent e) override {
    append_jsonl(batch_, e);  // ends with '\n'
    if (batch_.size() >= kMaxBatch) flush();
  }
  void flush() {
    if (batch_.empty()) return;
    if (batch_.back() == '\n') batch_.pop_back();
    std::string lines;
    lines.swap(batch_);
    // The bytes, not a string: JS makes a string per line from them. One
    // string per batch (hundreds of KB, made by the browser's TextDecoder)
    // left the browser's string cache entries that V8 drops in one task
    // after a major GC: 100-500 ms of the 100,000-task run's long tasks.
    // (The view is made on the thread that calls JS: a val belongs to one.)
    on_main_thread([&] {
      val bytes(emscripten::typed_memory_view(lines.size(), reinterpret_cast<const unsigned char*>(lines.data())));
      try {
        call_js2(fn_, true, bytes);
      } catch (...) {
      }
    });
  }

 private:
  static constexpr std::size_t kMaxBatch = 1 << 18;
  val fn_;
  std::string batch_;
};

// A run as JS holds it: the DemoRun and what must live as long as it.
struct JsDemoRun {
  std::shared_ptr<demos::DemoRun> run;
  std::shared_ptr<JsTracer> tracer;
};

// `callbacks`: {onOutput(line), onError(line), onTrace(event), onDone(status)};
// `params`: {name: value} (values as text, as the CLI takes them).
Ptr demos_run(std::string name, val params, val callbacks, bool virtual_clock, bool timestamps, double speed,
              double slice_budget) {
  return guarded([&]() -> Ptr {
    demos::RunOptions options;
    options.clock = virtual_clock ? Clock::virtual_time : Clock::real;
    options.timestamps = timestamps;
    if (!(speed >= 0)) throw ValueError("speed must be >= 0 (0: virtual time jumps at once; 1: real time; 10: ten times faster)");
    options.virtual_speed = speed;
    if (!(slice_budget >= 0)) throw ValueError("sliceBudget must be >= 0 seconds (0: the host's default, 0.008)");
    options.slice_budget = slice_budget;
    val keys = val::global("Object").call<val>("keys", params);
    int n = keys["length"].as<int>();
    for (int i = 0; i < n; ++i) {
      std::string key = keys[i].as<std::string>();
      options.params[key] = val::global("String")(params[key]).as<std::string>();
    }
    val on_output = callbacks["onOutput"], on_error = callbacks["onError"], on_trace = callbacks["onTrace"];
    val on_done = callbacks["onDone"];
    // The demo's lines go to JS; a callback that throws must not stop it.
    auto* handle = new JsDemoRun;
    if (!on_trace.isUndefined() && !on_trace.isNull()) {
      handle->tracer = std::make_shared<JsTracer>(on_trace);
      options.tracer = handle->tracer.get();
      options.after_slice = [tracer = handle->tracer] { tracer->flush(); };
    }
    auto line_to = [tracer = handle->tracer](val fn) {
      return [fn, tracer](std::string_view line) {
        if (tracer) tracer->flush();
        on_main_thread([&] {
          if (fn.isUndefined() || fn.isNull()) return;
          try {
            call_js2(fn, true, val(std::string(line)));
          } catch (...) {
          }
        });
      };
    };
    options.output = line_to(on_output);
    options.error = line_to(on_error);
    auto tracer_keepalive = handle->tracer;
    handle->run = demos::run_demo_async(name, std::move(options), [on_done, tracer_keepalive](int status) {
      if (tracer_keepalive) tracer_keepalive->flush();
      try {
        call_js2(on_done, true, val(status));
      } catch (...) {
      }
    });
    return reinterpret_cast<Ptr>(handle);
  });
}

JsDemoRun& run_of(Ptr p) { return *reinterpret_cast<JsDemoRun*>(p); }
void demos_cancel(Ptr p) {
  if (run_of(p).run) run_of(p).run->cancel();
}
bool demos_cancel_task(Ptr p, double task_id) {
  return run_of(p).run && run_of(p).run->cancel_task(static_cast<std::uint64_t>(task_id));
}
bool demos_cancel_task_named(Ptr p, std::string name) { return run_of(p).run && run_of(p).run->cancel_task(name); }
bool demos_done(Ptr p) { return !run_of(p).run || run_of(p).run->done(); }
// The run keeps itself alive until it is over (see DemoRun); this drops the
// JS side's hold only.
void demos_release(Ptr p) { delete &run_of(p); }

}  // namespace
}  // namespace aio::wasm

EMSCRIPTEN_BINDINGS(aio_demos) {
  using namespace emscripten;
  using namespace aio::wasm;
  function("demos_list", &demos_list);
  function("demos_run", &demos_run);
  function("demos_cancel", &demos_cancel);
  function("demos_done", &demos_done);
  function("demos_cancel_task", &demos_cancel_task);
  function("demos_cancel_task_named", &demos_cancel_task_named);
  function("demos_release", &demos_release);
}
