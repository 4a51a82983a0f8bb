// Embind bindings of the event loop, its handles, futures and tasks.
//
// Thin on purpose: objects are passed as addresses (a JS object owns one
// reference and gives it back in dispose(), with a FinalizationRegistry as a
// backstop), which avoids an Embind wrapper object per future or task; the
// JS classes in index.js are the only wrappers. Every function that can
// throw goes through guarded() (js_interop.hpp).
#include <emscripten.h>
#include <emscripten/bind.h>

#include <memory>

#include "aio/detail/future_like.hpp"
#include "aio/event_loop.hpp"
#include "aio/future.hpp"
#include "aio/task.hpp"
#include "aio/trace.hpp"
#include "aio/web/web_host.hpp"
#include "js_interop.hpp"
#include "js_objects.hpp"

namespace aio::wasm {
namespace {

using Ptr = std::uintptr_t;

// A JS callback run by the loop (callSoon, callLater, callAt).
struct JsCallback {
  val fn;
  void operator()() const { call_js(fn); }
};

// ---- the loop ---------------------------------------------------------------

Ptr loop_new(bool virtual_clock) {
  auto* loop = new EventLoop(EventLoop::Options{.clock = virtual_clock ? Clock::virtual_time : Clock::real});
  return reinterpret_cast<Ptr>(loop);
}
// loop.setTracer(fn): each trace event of the loop to fn({time, kind, id,
// name, detail}) as it happens (the playground's timeline). A callback that
// throws is ignored: tracers must not disturb the loop.
class JsTracer final : public Tracer {
 public:
  explicit JsTracer(val fn) : fn_(std::move(fn)) {}
  void record(TraceEvent e) override {
    val o = val::object();
    o.set("time", e.time);
    o.set("kind", std::string(trace_kind_name(e.kind)));
    o.set("id", static_cast<double>(e.id));
    o.set("name", e.name);
    o.set("detail", e.detail);
    try {
      call_js2(fn_, true, o);
    } catch (...) {
    }
  }

 private:
  val fn_;
};

// A loop made from JS gets a tracer only here, so its tracer, when set, is a
// JsTracer of ours and the loop's own pointer can own it (no side table: a
// map's code is about a kilobyte of the package).
void drop_js_tracer(EventLoop& loop) {
  delete static_cast<JsTracer*>(loop.tracer());
  loop.set_tracer(nullptr);
}

void loop_set_tracer(Ptr p, val fn) {
  EventLoop& loop = loop_of(p);
  if (fn.isNull() || fn.isUndefined()) {
    drop_js_tracer(loop);
    return;
  }
  auto tracer = std::make_unique<JsTracer>(std::move(fn));
  drop_js_tracer(loop);
  loop.set_tracer(tracer.release());
}

// Frees a closed loop (the JS side checks it is closed) unless something may
// still refer to it: a pending task of it (whose frame may hold the loop, and
// run again if someone cancels it), or JS work in flight for it (a promise
// whose settling would reach the loop). Returns whether it did.
bool loop_delete(Ptr p) {
  EventLoop& loop = loop_of(p);
  if (!loop.all_tasks().empty() || loop.has_external_work()) return false;
  drop_js_tracer(loop);
  delete &loop;
  return true;
}
// p 0: the real clock of every loop (web::WebHost::monotonic()), for a
// closed loop that was freed.
double loop_time(Ptr p) { return p ? loop_of(p).time() : emscripten_get_now() / 1000.0; }
bool loop_is_running(Ptr p) { return loop_of(p).is_running(); }
bool loop_is_closed(Ptr p) { return loop_of(p).is_closed(); }
void loop_stop(Ptr p) {
  loop_of(p).stop();
  wake(loop_of(p));
}
void loop_close(Ptr p) {
  guarded([&] { loop_of(p).close(); });
}
bool loop_virtual(Ptr p) { return loop_of(p).clock() == Clock::virtual_time; }
void loop_set_slice_budget(Ptr p, double seconds) {
  guarded([&] { web::host_of(loop_of(p)).set_slice_budget(seconds); });
}

// JS holds a heap copy of the handle (a reference to the callback's state).
// A TimerHandle's when() never changes: JS computes it (time() + delay, the
// same double arithmetic) instead of asking.
Ptr handle_ptr(Handle h) { return reinterpret_cast<Ptr>(new Handle(std::move(h))); }

Ptr call_soon(Ptr p, val fn) {
  return guarded([&] {
    EventLoop& loop = loop_of(p);
    Ptr h = handle_ptr(loop.call_soon(JsCallback{std::move(fn)}, "js callback"));
    wake(loop);
    return h;
  });
}
Ptr call_later(Ptr p, double delay, val fn) {
  return guarded([&] {
    EventLoop& loop = loop_of(p);
    Ptr h = handle_ptr(loop.call_later(delay, JsCallback{std::move(fn)}, "js timer"));
    wake(loop);
    return h;
  });
}
Ptr call_at(Ptr p, double when, val fn) {
  return guarded([&] {
    EventLoop& loop = loop_of(p);
    Ptr h = handle_ptr(loop.call_at(when, JsCallback{std::move(fn)}, "js timer"));
    wake(loop);
    return h;
  });
}
Handle& handle_of(Ptr h) { return *reinterpret_cast<Handle*>(h); }
void handle_cancel(Ptr h) { handle_of(h).cancel(); }
bool handle_cancelled(Ptr h) { return handle_of(h).cancelled(); }
void handle_delete(Ptr h) { delete &handle_of(h); }

// Runs the loop from the JS event loop until `fut` is done, then calls
// `done(ok, value)`.
void run_until_complete(Ptr p, Ptr fut, val done) {
  guarded([&] {
    auto on_done = [done](auto& f, std::exception_ptr err) {
      if (!err) {
        try {
          val v = core_result(f.core());
          call_js2(done, true, v);
          return;
        } catch (...) {
          err = std::current_exception();
        }
      }
      val e = to_js_error(err);
      call_js2(done, false, e);
    };
    detail::FutureCore& core = core_of(fut);
    if (core.is_task())
      web::run_until_complete(loop_of(p), Task<val>::from_core(&core), on_done);
    else
      web::run_until_complete(loop_of(p), Future<val>::from_core(&core), on_done);
  });
}
void run_forever(Ptr p, val done) {
  guarded([&] {
    web::run_forever(loop_of(p), [done](std::exception_ptr err) {
      if (err)
        call_js2(done, false, to_js_error(err));
      else
        call_js2(done, true, val::undefined());
    });
  });
}

// `handler(context)` receives what the loop reports (asyncio's exception
// handler): {message, exception, task, future, handle}; null: the default.
void loop_set_exception_handler(Ptr p, val handler) {
  EventLoop& loop = loop_of(p);
  if (handler.isNull() || handler.isUndefined()) {
    loop.set_exception_handler(nullptr);
    return;
  }
  loop.set_exception_handler([handler](EventLoop&, const ExceptionContext& c) {
    val ctx = val::object();
    ctx.set("message", c.message);
    ctx.set("exception", c.exception ? to_js_error(c.exception) : val::null());
    if (!c.task.empty()) ctx.set("task", c.task);
    if (!c.future.empty()) ctx.set("future", c.future);
    if (!c.handle.empty()) ctx.set("handle", c.handle);
    // An error the handler throws goes back to the loop, which reports it
    // as asyncio does ("Unhandled error in exception handler").
    call_js2(handler, true, ctx);
  });
}

// ---- futures and tasks --------------------------------------------------------

Ptr create_future(Ptr p) {
  return guarded([&] {
    Future<val> f = loop_of(p).create_future<val>();
    return to_js_ptr(f.core());
  });
}
void release(Ptr f) { core_of(f).release(); }
bool done(Ptr f) { return core_of(f).done(); }
bool cancelled(Ptr f) { return core_of(f).cancelled(); }
// Guarded: cancelling a pending task of a closed loop schedules its wake-up
// there, which raises RuntimeError (as in asyncio), not an opaque trap.
bool cancel(Ptr f, val msg) {
  return guarded([&] {
    detail::FutureCore& core = core_of(f);
    bool r = core.cancel(msg.isUndefined() ? std::string() : msg.as<std::string>());
    if (core.loop()) wake(*core.loop());
    return r;
  });
}
val result(Ptr f) {
  return guarded([&] { return core_result(core_of(f)); });
}
val exception(Ptr f) {
  return guarded([&] {
    std::exception_ptr e = core_of(f).exception();
    return e ? to_js_error(e) : val::null();
  });
}
void set_result(Ptr f, val v) {
  guarded([&] {
    auto fut = Future<val>::from_core(&core_of(f));
    fut.set_result(std::move(v));
    wake(fut.get_loop());
  });
}
void set_exception(Ptr f, val e) {
  guarded([&] {
    auto fut = Future<val>::from_core(&core_of(f));
    fut.set_exception(std::make_exception_ptr(JsError(std::move(e))));
    wake(fut.get_loop());
  });
}
// `fn(ok)` once done; returns the id for remove_done_callback.
double add_done_callback(Ptr f, val fn) {
  return guarded([&] {
    detail::FutureCore& core = core_of(f);
    return static_cast<double>(detail::add_core_callback(core, [fn](detail::FutureCore&) { call_js(fn); }));
  });
}
int remove_done_callback(Ptr f, double id) {
  return static_cast<int>(core_of(f).remove_callback_id(static_cast<std::uint64_t>(id)));
}
std::uintptr_t loop_of_future(Ptr f) { return reinterpret_cast<Ptr>(core_of(f).loop()); }
std::string describe(Ptr f) { return core_of(f).describe(); }

detail::TaskCore& task_of(Ptr t) { return static_cast<detail::TaskCore&>(core_of(t)); }
std::string task_get_name(Ptr t) { return task_of(t).get_name(); }
void task_set_name(Ptr t, std::string name) { task_of(t).set_name(std::move(name)); }
int task_cancelling(Ptr t) { return task_of(t).cancelling(); }
int task_uncancel(Ptr t) { return task_of(t).uncancel(); }
val task_get_stack(Ptr t) {
  val out = val::array();
  for (const auto& f : task_of(t).get_stack()) {
    val frame = val::object();
    frame.set("function", std::string(f.function));
    frame.set("line", f.line);
    out.call<void>("push", frame);
  }
  return out;
}
// The core of the task running now (a new reference), or 0.
Ptr current_task() {
  detail::TaskCore* t = detail::t_current_task;
  return t ? to_js_ptr(*t) : 0;
}
val all_tasks(Ptr p) { return js_all_tasks(loop_of(p)); }
// Let go of the JS objects of tasks that finished without running (see
// JsTaskSelf); done now and then by itself, and when a loop closes.
void sweep_tasks() { JsTaskSelf::sweep(); }
// The running loop's address, or 0.
Ptr running_loop() { return reinterpret_cast<Ptr>(try_get_running_loop()); }

}  // namespace
}  // namespace aio::wasm

// The hottest binding, a raw export taking Embind handles (see
// shims/handles.pre.js): schedule a JS generator as a task on `loop` or,
// with `group`, in a TaskGroup; returns the task's core (a reference for
// the JS Task object `self`), or 0 with the error stashed. index.js passes
// `gen` as undefined (handle 1): the generator is the Task object's own
// (self._gen), which saves a handle per task. `eager`: the task's first
// step may run before this returns (see step() in index.js).
extern "C" EMSCRIPTEN_KEEPALIVE std::uintptr_t aio_create_task(std::uintptr_t loop, std::uintptr_t group,
                                                              aio::wasm::EM_VAL gen, aio::wasm::EM_VAL self,
                                                              aio::wasm::EM_VAL name, int eager) {
  using namespace aio::wasm;
  JsRef g = JsRef::adopt(gen), s = JsRef::adopt(self), n = JsRef::adopt(name);
  return guarded([&]() -> std::uintptr_t {
    std::string task_name;
    if (reinterpret_cast<std::uintptr_t>(name) != 1) task_name = n.get().as<std::string>();
    aio::Task<val> t;
    if (group) {
      t = create_js_task(nullptr, box_get<aio::TaskGroup>(group).get(), std::move(g), std::move(s), std::move(task_name),
                         eager != 0);
    } else {
      aio::EventLoop& l = loop_of(loop);
      t = create_js_task(&l, nullptr, std::move(g), std::move(s), std::move(task_name), eager != 0);
      wake(l);
    }
    return to_js_ptr(t.core());
  });
}

EMSCRIPTEN_BINDINGS(aio_loop) {
  using namespace emscripten;
  using namespace aio::wasm;
  function("loop_new", &loop_new);
  function("loop_delete", &loop_delete);
  function("loop_time", &loop_time);
  function("loop_is_running", &loop_is_running);
  function("loop_is_closed", &loop_is_closed);
  function("loop_stop", &loop_stop);
  function("loop_close", &loop_close);
  function("loop_virtual", &loop_virtual);
  function("loop_set_slice_budget", &loop_set_slice_budget);
  function("loop_set_exception_handler", &loop_set_exception_handler);
  function("loop_set_tracer", &loop_set_tracer);
  function("call_soon", &call_soon);
  function("call_later", &call_later);
  function("call_at", &call_at);
  function("handle_cancel", &handle_cancel);
  function("handle_cancelled", &handle_cancelled);
  function("handle_delete", &handle_delete);
  function("run_until_complete", &run_until_complete);
  function("run_forever", &run_forever);
  function("create_future", &create_future);
  function("release", &release);
  function("done", &done);
  function("cancelled", &cancelled);
  function("cancel", &cancel);
  function("result", &result);
  function("exception", &exception);
  function("set_result", &set_result);
  function("set_exception", &set_exception);
  function("add_done_callback", &add_done_callback);
  function("remove_done_callback", &remove_done_callback);
  function("loop_of_future", &loop_of_future);
  function("describe", &describe);
  function("task_get_name", &task_get_name);
  function("task_set_name", &task_set_name);
  function("task_cancelling", &task_cancelling);
  function("task_uncancel", &task_uncancel);
  function("task_get_stack", &task_get_stack);
  function("current_task", &current_task);
  function("all_tasks", &all_tasks);
  function("sweep_tasks", &sweep_tasks);
  function("running_loop", &running_loop);
}
