// run_demo_async: a demo on the browser host, without blocking (see
// aio/demos/run_async.hpp). Only in WebAssembly builds: the browser host
// (aio::web) exists only there.
#ifdef __EMSCRIPTEN__
#include "aio/demos/run_async.hpp"

#include <emscripten.h>

#include <algorithm>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aio/config.hpp"
#include "aio/errors.hpp"
#include "aio/executor.hpp"
#include "aio/web/web_host.hpp"

namespace aio::demos {
namespace {

// Runs `fn` from a later JS turn. emscripten_async_call goes through
// setTimeout and Emscripten's callUserCallback, which keeps the runtime alive
// until it fires and handles an exit() called inside. A few milliseconds per
// call at most; it is used between the phases of a run, never per callback.
void later(std::function<void()> fn, double ms = 0) {
  auto* heap = new std::function<void()>(std::move(fn));
  emscripten_async_call(
      [](void* p) {
        std::unique_ptr<std::function<void()>> f(static_cast<std::function<void()>*>(p));
        (*f)();
      },
      heap, static_cast<int>(std::max(0.0, ms)));
}

// asyncio's _cancel_all_tasks waiter, the same coroutine Runner::close runs
// (runner.cpp): same task, same awaits, hence the same trace.
Task<void> wait_all(std::vector<TaskRef> all) {
  for (auto& t : all) {
    try {
      co_await t;
    } catch (...) {
      // Looked at afterwards, as asyncio does after its gather().
    }
  }
}

class Run final : public DemoRun, public std::enable_shared_from_this<Run> {
 public:
  Run(const Demo* demo, RunOptions options, std::function<void(int)> on_done)
      : demo_(demo), options_(std::move(options)), on_done_(std::move(on_done)) {}

  void start(std::string_view name) {
    self_ = shared_from_this();
    if (!demo_) return usage(missing_demo_message(name));
    if (std::string problem = check_params(*demo_, options_.params); !problem.empty()) return usage(problem);
    ctx_options_ = options_;
    if (demo_->main) {
      ctx_.emplace(*demo_, ctx_options_);
      start_main();
    } else if (demo_->program) {
      play_back_ = options_.clock == Clock::real;
      if (play_back_) record_lines();
      ctx_.emplace(*demo_, ctx_options_);
      later([self = shared_from_this()] { self->run_program(); });
    } else {
      finish(exit_ok);
    }
  }

  void cancel() override {
    if (done_ || finishing_ || cancel_requested_) return;
    if (main_task_) {
      if (main_task_->done()) return;
      cancel_requested_ = true;
      main_task_->cancel();
      // The rule for everything JS hands the loop: wake an idle host (a
      // real-clock loop may be waiting on a setTimeout).
      web::host_of(runner_->get_loop()).wake();
    } else {
      cancel_requested_ = true;  // run_program() sees it
      if (playing_) {
        // The next line's timer finds the run finishing and does nothing.
        error("cancelled: the play-back of the demo's output was stopped (DemoRun::cancel)");
        finish(exit_cancelled);
      }
    }
  }

  bool cancel_task(std::uint64_t task_id) override {
    if (done_ || !runner_) return false;
    EventLoop& loop = runner_->get_loop();
    if (loop.is_closed()) return false;
    for (auto* t : loop.all_tasks()) {
      if (t->id() != task_id) continue;
      bool cancelled = t->cancel();
      web::host_of(loop).wake();  // what JS hands the loop wakes an idle host
      return cancelled;
    }
    return false;
  }

  bool cancel_task(std::string_view name) override {
    if (done_ || !runner_) return false;
    EventLoop& loop = runner_->get_loop();
    if (loop.is_closed()) return false;
    detail::TaskCore* newest = nullptr;
    for (auto* t : loop.all_tasks())  // oldest first
      if (!t->done() && t->get_name() == name) newest = t;
    if (!newest) return false;
    bool cancelled = newest->cancel();
    web::host_of(loop).wake();
    return cancelled;
  }

  bool done() const noexcept override { return done_; }

 private:
  // ---- main demos: asyncio.run(main()) in slices ---------------------------

  void start_main() {
    runner_ = &ctx_->new_runner();
    EventLoop& loop = runner_->get_loop();
    if (loop.clock() == Clock::virtual_time) web::host_of(loop).set_virtual_speed(options_.virtual_speed);
    if (options_.after_slice) web::host_of(loop).set_after_slice(options_.after_slice);
    if (options_.slice_budget > 0) web::host_of(loop).set_slice_budget(options_.slice_budget);
    try {
      // Runner.run's check; between slices no loop is running, so this only
      // trips when called from inside a demo.
      if (try_get_running_loop())
        throw RuntimeError("Runner.run() cannot be called from a running event loop", "await the coroutine instead");
      main_task_ = loop.create_task(demo_->main(*ctx_));  // asyncio.Runner.run does the same first
      web::run_until_complete(loop, *main_task_, [self = shared_from_this()](Task<void>& fut, std::exception_ptr error) {
        if (!error) {
          try {
            fut.result();
          } catch (...) {
            error = std::current_exception();
          }
        }
        self->main_error_ = error;
        self->shutdown();
      });
    } catch (...) {
      main_error_ = std::current_exception();
      shutdown();
    }
  }

  // Runner::close without blocking: cancel what is left, wait for it with the
  // host driving the loop, report what failed, shut the executor down, close.
  void shutdown() {
    EventLoop& loop = runner_->get_loop();
    std::vector<TaskRef> tasks;
    for (auto* t : loop.all_tasks()) tasks.emplace_back(t);
    if (tasks.empty()) return close_loop();
    for (auto& t : tasks) t.cancel();
    try {
      web::run_until_complete(loop, wait_all(tasks),
                              [self = shared_from_this(), tasks](Task<void>&, std::exception_ptr error) {
                                if (error) {
                                  // Runner::close would raise here, skipping the reports.
                                  if (!self->main_error_) self->main_error_ = error;
                                } else {
                                  self->report_failures(tasks);
                                }
                                self->close_loop();
                              });
    } catch (...) {
      if (!main_error_) main_error_ = std::current_exception();
      close_loop();
    }
  }

  void report_failures(const std::vector<TaskRef>& tasks) {
    EventLoop& loop = runner_->get_loop();
    for (const auto& t : tasks) {
      if (t.cancelled()) continue;
      if (auto e = t.exception()) {
        ExceptionContext c;
        c.message = "unhandled exception during asyncio.run() shutdown";
        c.exception = e;
        c.task = t.get_name();
        loop.call_exception_handler(c);
      }
    }
  }

  // The end of Runner::close. Not runner_->close(): it would look for tasks
  // again and wait for them blocking; asyncio leaves tasks created during the
  // shutdown to loop.close(), and so does this. (The Runner's own close()
  // later finds its loop closed and does nothing more.)
  void close_loop() {
    EventLoop& loop = runner_->get_loop();
#if AIO_HAS_THREADS
    // Runner::close joins the default executor's workers, which the page's
    // main thread must not wait for: wait with the host driving the loop
    // (asyncio's `await loop.shutdown_default_executor()`), then close.
    if (loop.default_executor_if_made() && !executor_shut_down_) {
      executor_shut_down_ = true;
      try {
        return web::run_until_complete(loop, shutdown_default_executor(loop),
                                       [self = shared_from_this()](Future<void>&, std::exception_ptr error) {
                                         if (error && !self->main_error_) self->main_error_ = error;
                                         self->close_loop();
                                       });
      } catch (...) {
        if (!main_error_) main_error_ = std::current_exception();
      }
    }
#endif
    try {
      loop.shutdown_default_executor();
      loop.close();
    } catch (...) {
      if (!main_error_) main_error_ = std::current_exception();
    }
    if (!main_error_) return finish(exit_ok);
    if (cancel_requested_ && exception_type_name(main_error_) == std::string("CancelledError")) {
      error("cancelled: the demo's main task was cancelled (DemoRun::cancel)");
      return finish(exit_cancelled);
    }
    error(describe_exception(main_error_));
    finish(exit_failed);
  }

  // ---- program demos: run at once, on the virtual clock --------------------

  void run_program() {
    if (cancel_requested_) {
      error("cancelled before the demo started (DemoRun::cancel)");
      return finish(exit_cancelled);
    }
    int status = exit_ok;
    try {
      demo_->program(*ctx_);
    } catch (...) {
      // As run_demo(): the error after what the demo printed.
      if (ctx_options_.error) ctx_options_.error(describe_exception(std::current_exception()));
      status = exit_failed;
    }
    if (!play_back_) return finish(status);
    status_ = status;
    started_ms_ = emscripten_get_now();
    playing_ = true;
    play(0);
  }

  // A real-clock program demo runs on the virtual clock with its lines kept
  // and the loop time each was printed at, then played back in real time.
  void record_lines() {
    ctx_options_.clock = Clock::virtual_time;
    ctx_options_.output = [this](std::string_view line) { lines_.push_back({line_time(), false, std::string(line)}); };
    ctx_options_.error = [this](std::string_view line) { lines_.push_back({line_time(), true, std::string(line)}); };
  }

  // Virtual clocks start at 0 on every loop: a program that runs one loop
  // after another continues the play-back time where the previous lines left
  // it, so that later loops' lines never come out before earlier ones.
  double line_time() {
    double t = last_time_;
    if (EventLoop* loop = try_get_running_loop()) {
      auto it = loop_offsets_.find(loop);
      if (it == loop_offsets_.end()) it = loop_offsets_.emplace(loop, last_time_).first;
      t = std::max(last_time_, it->second + loop->time());
    }
    last_time_ = t;
    return t;
  }

  void play(std::size_t next) {
    if (finishing_) return;  // cancelled
    double elapsed = (emscripten_get_now() - started_ms_) / 1000.0;
    while (next < lines_.size() && lines_[next].at <= elapsed) {
      const Line& l = lines_[next++];
      if (l.is_error)
        error(l.text);
      else if (options_.output)
        options_.output(l.text);
    }
    if (next == lines_.size()) return finish(status_);
    later([self = shared_from_this(), next] { self->play(next); }, (lines_[next].at - elapsed) * 1000.0);
  }

  // ---- the end ---------------------------------------------------------------

  void usage(const std::string& message) {
    error(message);
    finish(exit_usage);
  }

  void error(std::string_view message) {
    if (options_.error) options_.error(message);
  }

  // on_done from a JS turn of its own: the caller never sees it inside
  // run_demo_async(), and the loop, its host and the context are not
  // destroyed from inside their own callbacks.
  void finish(int status) {
    if (finishing_) return;
    finishing_ = true;
    later([self = shared_from_this(), status] {
      self->done_ = true;
      auto on_done = std::move(self->on_done_);
      self->self_.reset();
      if (on_done) on_done(status);
    });
  }

  struct Line {
    double at;  // seconds after the start
    bool is_error;
    std::string text;
  };

  const Demo* demo_;
  RunOptions options_;      // the caller's
  RunOptions ctx_options_;  // what the demo's context sees (DemoContext keeps a reference)
  std::optional<DemoContext> ctx_;
  std::function<void(int)> on_done_;
  std::shared_ptr<Run> self_;  // the run keeps itself alive until on_done
  Runner* runner_ = nullptr;   // owned by ctx_
  std::optional<Task<void>> main_task_;
  std::exception_ptr main_error_;
  bool cancel_requested_ = false;
  bool finishing_ = false;
#if AIO_HAS_THREADS
  bool executor_shut_down_ = false;  // close_loop() waited for the default executor
#endif
  bool done_ = false;
  // The play-back of a real-clock program demo.
  bool play_back_ = false;
  bool playing_ = false;
  int status_ = exit_ok;
  std::vector<Line> lines_;
  double last_time_ = 0;
  std::map<const EventLoop*, double> loop_offsets_;
  double started_ms_ = 0;
};

}  // namespace

std::shared_ptr<DemoRun> run_demo_async(const Demo& demo, RunOptions options, std::function<void(int)> on_done) {
  auto run = std::make_shared<Run>(&demo, std::move(options), std::move(on_done));
  run->start(demo.name);
  return run;
}

std::shared_ptr<DemoRun> run_demo_async(std::string_view name, RunOptions options, std::function<void(int)> on_done) {
  auto run = std::make_shared<Run>(find(name), std::move(options), std::move(on_done));
  run->start(name);
  return run;
}

}  // namespace aio::demos
#endif  // __EMSCRIPTEN__
