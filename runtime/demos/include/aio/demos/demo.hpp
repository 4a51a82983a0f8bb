#pragma once
/// Demo programs: the asyncio tutorial examples ported to aio, shared by the
/// native `aio` CLI and the WebAssembly build.
///
/// A demo never writes to stdout itself (no iostream, no printf): it prints
/// through its DemoContext, which hands each line to whoever runs it (the CLI
/// writes it to stdout, the browser to a page). Each demo names the CPython
/// scenario it mirrors (tests/conformance/py/scenarios/<scenario>.py); run on
/// the virtual clock with timestamps it prints that scenario's expected file.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aio/demos/py_format.hpp"
#include "aio/event_loop.hpp"
#include "aio/runner.hpp"
#include "aio/task.hpp"
#include "aio/trace.hpp"

namespace aio::demos {

class DemoContext;

/// What a demo parameter's value must look like.
enum class ParamKind { integer, number, text, flag };

/// A parameter a demo reads with `ctx.param<T>(name, fallback)`, given on the
/// command line as `--param name=value`.
struct Param {
  std::string name;
  ParamKind kind = ParamKind::number;
  std::string default_value;  // as shown by `aio list`; the demo's fallback must agree
  std::string help;
};

/// One demo program.
struct Demo {
  std::string name;      // short kebab-case: "say-after"
  std::string title;     // one line for `aio list`
  std::string group;     // basics, combinators, cancellation, synchronisation, queues, threads, io
  std::string summary;   // what it shows, a few sentences
  std::string scenario;  // the CPython twin: "009_seed_say_after"; empty for a demo without one
  std::vector<Param> params;
  /// The program as a coroutine, run as the main task of an aio::Runner
  /// (asyncio.run(main())). Exactly one of `main` and `program` is set.
  Task<void> (*main)(DemoContext&) = nullptr;
  /// The program as a plain function that drives loops itself
  /// (run_until_complete, run_forever), made with ctx.new_loop() or ctx.run().
  void (*program)(DemoContext&) = nullptr;
};

/// How to run a demo.
struct RunOptions {
  Clock clock = Clock::virtual_time;
  /// Prefix every printed line with the loop time as "%.3f " (the harness's log()).
  bool timestamps = false;
  /// Receives each printed line, without its newline.
  std::function<void(std::string_view)> output;
  /// Receives error messages (bad parameters, the demo's uncaught exception).
  std::function<void(std::string_view)> error;
  /// Installed on every loop the demo runs (not owned); null: no tracing.
  Tracer* tracer = nullptr;
  /// Parameter values by name, as text; checked against Demo::params.
  std::map<std::string, std::string> params;
  /// run_demo_async on the virtual clock: how fast virtual time passes (see
  /// aio::web::WebHost::set_virtual_speed; 0 jumps at once). Ignored elsewhere.
  double virtual_speed = 0;
  /// run_demo_async: called after each slice of the browser host that runs
  /// the demo (see aio::web::WebHost::set_after_slice). Ignored elsewhere.
  std::function<void()> after_slice;
  /// run_demo_async: the browser host's slice budget in seconds (0: the
  /// host's default, 8 ms). A page that does work per trace event after each
  /// slice sets it lower, so that slice and work together stay short.
  double slice_budget = 0;
};

/// What a demo sees of the outside world: printing, its parameters and the
/// loops it runs. Belongs to the thread that runs the demo.
class DemoContext {
 public:
  DemoContext(const Demo& demo, const RunOptions& options);
  ~DemoContext();
  DemoContext(const DemoContext&) = delete;
  DemoContext& operator=(const DemoContext&) = delete;

  /// Python's print(*args): str() of each argument, separated by spaces, as
  /// one line (prefixed with the loop time when timestamps are on).
  template <class... Args>
  void print(const Args&... args) {
    std::string line;
    bool first = true;
    ((line += (first ? "" : " ") + py::str(args), first = false), ...);
    print_line(line);
  }
  /// Prints `line` as it is.
  void print_line(std::string_view line);

  /// The parameter `name` converted to T (int, long long, double, bool or
  /// std::string), or `fallback` when it was not given.
  template <class T>
  T param(std::string_view name, T fallback) const;

  /// A new event loop on the demo's clock, with its tracer and the harness's
  /// exception handler installed. It lives as long as the context.
  EventLoop& new_loop();
  /// asyncio.run(main): runs `main` on a fresh loop (kept for timestamps) and
  /// shuts the loop down.
  template <class T>
  T run(Task<T> main) {
    Runner& runner = new_runner();
    try {
      if constexpr (std::is_void_v<T>) {
        runner.run(std::move(main));
        runner.close();
      } else {
        T result = runner.run(std::move(main));
        runner.close();
        return result;
      }
    } catch (...) {
      close_quietly(runner);  // asyncio.run's finally: clean up before the error propagates
      throw;
    }
  }
  /// A Runner whose loop is set up like new_loop()'s; lives as long as the context.
  Runner& new_runner();

  Clock clock() const noexcept { return options_.clock; }
  const Demo& demo() const noexcept { return demo_; }

 private:
  const std::string* find_param(std::string_view name) const;
  void setup(EventLoop& loop);
  static void close_quietly(Runner& runner) noexcept;

  const Demo& demo_;
  const RunOptions& options_;
  std::vector<std::unique_ptr<EventLoop>> loops_;
  std::vector<std::unique_ptr<Runner>> runners_;
  EventLoop* last_loop_ = nullptr;  // log() outside a loop uses the newest one, like the harness
};

/// Parses `text` as a parameter of `kind`; false if it is not one.
bool parse_param(ParamKind kind, const std::string& text, long long* as_integer, double* as_number, bool* as_flag);
/// "integer", "number", "text" or "flag".
const char* param_kind_name(ParamKind kind) noexcept;

template <class T>
T DemoContext::param(std::string_view name, T fallback) const {
  const std::string* text = find_param(name);
  if (!text) return fallback;
  long long i = 0;
  double d = 0;
  bool b = false;
  if constexpr (std::is_same_v<T, bool>) {
    parse_param(ParamKind::flag, *text, &i, &d, &b);
    return b;
  } else if constexpr (std::is_integral_v<T>) {
    parse_param(ParamKind::integer, *text, &i, &d, &b);
    return static_cast<T>(i);
  } else if constexpr (std::is_floating_point_v<T>) {
    parse_param(ParamKind::number, *text, &i, &d, &b);
    return static_cast<T>(d);
  } else {
    return T(*text);
  }
}

/// Every demo, in `aio list` order (by group, then as the tutorials go).
const std::vector<Demo>& all();
/// The demo called `name`, or null.
const Demo* find(std::string_view name);

/// A demo that exists in the sources but cannot run in this build, and why.
struct UnavailableDemo {
  std::string name;
  std::string reason;  // completes "demo 'NAME' cannot run in this build: "
};
/// The demos all() leaves out in this build: the threads demos in a
/// WebAssembly build without threads (AIO_HAS_THREADS is 0); empty natively.
/// run_demo() names the reason instead of calling them unknown.
const std::vector<UnavailableDemo>& unavailable();
/// The error for a name find() does not know: the reason the demo is
/// unavailable in this build, or "unknown demo".
std::string missing_demo_message(std::string_view name);

/// Exit statuses of run_demo, as the CLI returns them. exit_cancelled is what
/// a run cancelled from outside ends with (Ctrl-C natively, through
/// aio::Runner; run_demo_async's DemoRun::cancel), the status a shell gives a
/// program stopped by Ctrl-C.
enum ExitStatus : int { exit_ok = 0, exit_failed = 1, exit_usage = 2, exit_cancelled = 130 };

/// Why `params` do not suit `demo` (an unknown name, a value of the wrong
/// kind), as one message; empty when they do.
std::string check_params(const Demo& demo, const std::map<std::string, std::string>& params);

/// Runs a demo: checks its parameters, then runs it on the chosen clock.
/// Returns exit_ok, exit_failed (the demo raised: its "Type: message" goes to
/// options.error), exit_usage (unknown demo or bad parameter) or
/// exit_cancelled (Ctrl-C).
int run_demo(std::string_view name, const RunOptions& options);
int run_demo(const Demo& demo, const RunOptions& options);

}  // namespace aio::demos
