#pragma once
/// Running a demo without blocking, for the browser host (WebAssembly builds
/// only: aio::web exists only there).
///
/// run_demo() blocks until the demo is over, which a page's main thread must
/// never do. run_demo_async() starts the demo and returns at once; the demo
/// then runs in slices from the JS event loop (aio::web::run_until_complete)
/// and `on_done` receives the exit status, from a later JS turn, when it is
/// over. What it prints, its errors and its trace go where RunOptions says,
/// exactly as run_demo() sends them: run on the virtual clock, both give the
/// same lines and the same trace, byte for byte (tests/parity checks it).
///
/// How each kind of demo runs:
///   - a `main` demo (a coroutine) runs as the main task of an aio::Runner,
///     driven by the browser host, followed by the Runner's shutdown (cancel
///     the tasks left and wait for them, shut the default executor down, close
///     the loop), also driven by the host: asyncio.run(main()) without a
///     blocking call;
///   - a `program` demo (a plain function running loops itself) cannot give
///     control back in the middle. On the virtual clock it runs at once, in one
///     JS turn: the host's poll() never blocks and time jumps, so it never
///     waits. On the real clock it would freeze the page while its sleeps
///     elapse, so it is run on the virtual clock too and its lines are then
///     played back at the times they were printed (a line printed at loop
///     time 2.0 appears 2 s after the start). Its timestamps and trace times
///     are those of the virtual run.
#ifdef __EMSCRIPTEN__

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "aio/demos/demo.hpp"

namespace aio::demos {

/// A demo started by run_demo_async(). The run keeps itself alive until it is
/// over: dropping the handle neither stops it nor loses `on_done`.
class DemoRun {
 public:
  virtual ~DemoRun() = default;
  /// Stops the demo the way Ctrl-C stops asyncio.run(): the main task is
  /// cancelled (CancelledError is raised where it waits, so its except and
  /// finally code runs), then the usual shutdown follows, and `on_done`
  /// receives exit_cancelled if the main task ended cancelled. A program demo
  /// being played back stops printing. Does nothing once the demo is over or
  /// after the first call. Call it from JS (between slices), not from the
  /// demo's own code.
  virtual void cancel() = 0;
  /// Cancels the demo's pending task whose id (the `id` of its trace events,
  /// N of "Task-N") is `task_id`, as task.cancel() does; false when there is
  /// no such pending task. A playground's per-task Cancel button. Call it
  /// from JS (between slices).
  virtual bool cancel_task(std::uint64_t task_id) = 0;
  /// The same for the pending task called `name` (the newest one, if several
  /// share it): tasks the program names have id 0 in the trace, as asyncio
  /// numbers only unnamed tasks.
  virtual bool cancel_task(std::string_view name) = 0;
  /// Whether `on_done` has been called.
  virtual bool done() const noexcept = 0;
};

/// Starts `demo` on the browser host and returns at once (see the top of
/// this file). `on_done` is called exactly once, always from a later JS turn
/// (never from inside this call), with exit_ok, exit_failed (the demo raised:
/// its "Type: message" went to options.error), exit_usage (a bad parameter)
/// or exit_cancelled. The tracer in `options` must outlive the run.
std::shared_ptr<DemoRun> run_demo_async(const Demo& demo, RunOptions options, std::function<void(int)> on_done);
/// The same for the demo called `name`; an unknown or unavailable name gives
/// exit_usage (with the reason on options.error).
std::shared_ptr<DemoRun> run_demo_async(std::string_view name, RunOptions options, std::function<void(int)> on_done);

}  // namespace aio::demos
#endif  // __EMSCRIPTEN__
