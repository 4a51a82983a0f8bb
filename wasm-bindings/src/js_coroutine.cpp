// JS generators as aio coroutines.
//
// A JS task is an aio::Task<val> whose coroutine, drive(), steps a JS
// generator: one call into JS per resumption (Module.__aio.step in
// index.js) advances the generator with next(value) or throw(error) and
// classifies what it yielded, returning a small code or, for a Future or
// Task, the address of its core. drive() then awaits that thing with the
// ordinary C++ machinery, so JS tasks are scheduled, cancelled and ordered
// exactly like C++ ones: cancelling the task raises CancelledError at the
// co_await below, which becomes a JS CancelledError thrown into the
// generator at its `yield`, so `finally` blocks run and a generator that
// catches it can go on (uncancel() semantics are the task's, as in C++).
#include <emscripten.h>

#include <cmath>
#include <optional>

#include "aio/sleep.hpp"
#include "aio/shield.hpp"
#include "aio/timeouts.hpp"
#include "aio/wait.hpp"
#include "aio/wait_for.hpp"
#include "aio/web/web_host.hpp"
#include "js_interop.hpp"
#include "js_objects.hpp"

namespace {

// What __aio.step returns (keep in sync with index.js). Any value >= 16 is
// the address of a Future's or Task's core instead (nothing is allocated in
// the first kilobyte of linear memory).
enum StepKind : std::uintptr_t {
  kDone = 0,             // the generator returned (slot: its value)
  kThrew = 1,            // the generator threw (slot: the error)
  kThrewCancelled = 2,   // ... a CancelledError (slot: its message)
  kYield = 3,            // bare `yield` / sleep(0): one trip through the loop
  kPromise = 4,          // a thenable (slot)
  kGenerator = 5,        // a generator: run it inline, like `await coro`
  kBadYield = 6,         // not awaitable (slot: the TypeError to throw back)
  kOp = 7,               // an operation record (read with aio_js_read_op)
  kSleepOp = 8,          // sleep(delay, result) (slot: the result; StepOut::delay)
  kFirstAddress = 16,
};
// drive() tests r <= kThrewCancelled for "the generator has finished".
static_assert(kDone < kThrewCancelled && kThrew < kThrewCancelled && kYield > kThrewCancelled);

// Where aio_js_step writes a step's value: one call into JS per step. The
// most common operation, sleep(), comes back this way too, so that drive()
// awaits it itself rather than through run_op(), whose frame is big.
struct StepOut {
  aio::wasm::EM_VAL slot;
  double delay;
};
static_assert(offsetof(StepOut, delay) == 8);

// Operation codes of the Op records index.js builds (keep in sync).
enum OpCode : int {
  kLockAcquire = 1,
  kSemAcquire = 2,
  kCondAcquire = 3,
  kCondWait = 4,
  kEventWait = 5,
  kBarrierWait = 6,
  kBarrierReset = 7,
  kBarrierAbort = 8,
  kQueueGet = 9,
  kQueuePut = 10,
  kQueueJoin = 11,
  kSleep = 12,  // never reaches run_op (see kSleepOp)
  kWaitFor = 13,
  kWait = 14,
  kTimeout = 15,
  kTimeoutAt = 16,
  kTaskGroup = 17,
};

// Filled by aio_js_read_op: the fields of the Op record, read in one call.
struct OpArgs {
  std::int32_t code;
  std::uint32_t target;  // a box or core address
  double num;            // a delay, a timeout (NaN: none), ...
  aio::wasm::EM_VAL value;  // owned handles (undefined: 1, not owned)
  aio::wasm::EM_VAL extra;
};
static_assert(offsetof(OpArgs, num) == 8 && offsetof(OpArgs, value) == 16 && offsetof(OpArgs, extra) == 20);

// A JS promise a task awaits. JS holds one reference until it settles, the
// awaiting coroutine the other; the loop counts it as an external wait while
// it is pending: a virtual clock does not jump past it until JS had a turn
// to settle it (it may be an async function awaiting the loop's own tasks).
struct PromiseWait {
  aio::Future<aio::wasm::val> fut;
  aio::EventLoop* loop;
  int refs = 2;
  bool external = true;    // begin_external_wait() not yet matched
  bool awaiting = true;    // the coroutine still waits (else: ignore the outcome)
  void end_external() {
    if (external) {
      external = false;
      loop->end_external_wait();
    }
  }
  void release() {
    if (--refs == 0) delete this;
  }
};

}  // namespace

using aio::wasm::EM_VAL;

// One generator step. For the kinds that carry a value (kDone ... kBadYield
// except kYield, and kSleepOp), the value's handle is written to out->slot in
// the same call, and for kSleepOp the delay to out->delay.
EM_JS(std::uintptr_t, aio_js_step, (EM_VAL gen, int mode, EM_VAL send, EM_VAL self, StepOut* out), {
  var aio = Module.__aio;
  var k = aio.step(Emval.toValue(gen), mode, Emval.toValue(send), Emval.toValue(self));
  if ((k < 7 && k !== 3) || k === 8) {
    HEAPU32[out >> 2] = Emval.toHandle(aio.slot);
    aio.slot = undefined;
    if (k === 8) HEAPF64[(out + 8) >> 3] = aio.num;
  }
  return k;
});
EM_JS(void, aio_js_read_op, (void* out), {
  var op = Module.__aio.op;
  Module.__aio.op = undefined;
  HEAP32[out >> 2] = op.code;
  HEAPU32[(out >> 2) + 1] = op.target && op.target._p;  // checked by classify(): not disposed
  HEAPF64[(out >> 3) + 1] = op.num;
  HEAPU32[(out >> 2) + 4] = Emval.toHandle(op.value);
  HEAPU32[(out >> 2) + 5] = Emval.toHandle(op.extra);
});
extern "C" EM_VAL aio_js_make_error(const char* name, const char* message, EM_VAL subs);  // js_interop.cpp
EM_JS(void, aio_js_then, (EM_VAL thenable, void* wait), {
  Module.__aio.awaitThenable(Emval.toValue(thenable), wait);
});

namespace aio::wasm {
namespace {

// The value of the last step (see aio_js_step); taken once.
StepOut g_step{nullptr, 0};
val take_slot() { return val::take_ownership(std::exchange(g_step.slot, nullptr)); }
JsRef take_slot_ref() { return JsRef::adopt(std::exchange(g_step.slot, nullptr)); }

// A core's address as JS sees it (a JS object's _p), without the reference
// to_js_ptr hands over: a key for the JS Maps below.
std::uintptr_t address(detail::FutureCore& core) { return reinterpret_cast<std::uintptr_t>(&core); }

std::optional<double> opt(double x) {
  if (std::isnan(x)) return std::nullopt;
  return x;
}

// Holds the coroutine's side of a PromiseWait.
struct PromiseWaitRef {
  PromiseWait* w;
  ~PromiseWaitRef() {
    w->awaiting = false;
    w->end_external();
    w->release();
  }
};


// Awaits a JS thenable (a Promise, an async function's result): the
// thenable's callbacks settle a future (settle() below) and wake the loop.
// A coroutine of its own, awaited inline, so that drive()'s frame (one per
// task) stays small.
Task<val> await_thenable(val thenable) {
  EventLoop& loop = *detail::t_current_task->loop();
  auto* w = new PromiseWait{loop.create_future<val>(), &loop};
  loop.begin_external_wait();
  PromiseWaitRef ref{w};
  aio_js_then(thenable.as_handle(), w);
  co_return co_await aio::detail::await_as(w->fut, "promise");
}

// Awaits one of the operations whose locals are small (lock.acquire(),
// queue.get(), ...): clang 14 gives every local of every case its own slot
// in a coroutine's frame, and every JS task waiting on any of these holds
// that frame. The operations with big locals have coroutines of their own
// below; sleep() never gets here (drive() awaits it).
Task<val> run_small_op(OpArgs a, val value, val extra) {
  val out = val::undefined();
  switch (a.code) {
    case kLockAcquire: {
      auto l = box_get<Lock>(a.target);
      out = val(co_await l->acquire());
      break;
    }
    case kSemAcquire: {
      auto s = box_get<Semaphore>(a.target);
      out = val(co_await s->acquire());
      break;
    }
    case kCondAcquire: {
      auto c = box_get<Condition>(a.target);
      out = val(co_await c->acquire());
      break;
    }
    case kCondWait: {
      auto c = box_get<Condition>(a.target);
      out = val(co_await c->wait());
      break;
    }
    case kEventWait: {
      auto e = box_get<Event>(a.target);
      out = val(co_await e->wait());
      break;
    }
    case kBarrierWait: {
      auto b = box_get<Barrier>(a.target);
      out = val(co_await b->wait());
      break;
    }
    case kBarrierReset: {
      auto b = box_get<Barrier>(a.target);
      co_await b->reset();
      out = val::undefined();
      break;
    }
    case kBarrierAbort: {
      auto b = box_get<Barrier>(a.target);
      co_await b->abort();
      out = val::undefined();
      break;
    }
    case kQueueGet: {
      auto q = box_get<JsQueue>(a.target);
      out = co_await q->get();
      break;
    }
    case kQueuePut: {
      auto q = box_get<JsQueue>(a.target);
      co_await q->put(std::move(value));
      out = val::undefined();
      break;
    }
    case kQueueJoin: {
      auto q = box_get<JsQueue>(a.target);
      co_await q->join();
      out = val::undefined();
      break;
    }
    case kWaitFor: {
      JsFut f(reinterpret_cast<detail::FutureCore*>(a.target));
      out = co_await aio::wait_for(f, opt(a.num));
      break;
    }
    default:
      if (a.code >= 30 && a.code < 40) {  // fetch and WebSocket (bind_web_io.cpp)
        out = co_await await_web_op(a.code, a.target, a.num, std::move(value), std::move(extra));
        break;
      }
      throw TypeError("unknown operation yielded");
  }
  co_return out;
}

// asyncio.wait(): value is the JS Future/Task objects; return_when 0, 1, 2.
Task<val> op_wait(val value, std::optional<double> timeout, int return_when) {
  std::vector<JsFut> fs;
  int n = value["length"].as<int>();
  // The JS objects by their futures' addresses: a JS Map (a C++ hash map's
  // code would cost the package about a kilobyte; this is not a hot path).
  val index = val::global("Map").new_();
  for (int i = 0; i < n; ++i) {
    val p = value[i]["_p"];
    index.call<void>("set", p, value[i]);
    fs.emplace_back(reinterpret_cast<detail::FutureCore*>(p.as<std::uintptr_t>()));
  }
  auto js_of = [&index](JsFut& f) { return index.call<val>("get", address(f.core())); };
  WaitOptions options;
  options.timeout = timeout;
  options.return_when = return_when == 1   ? ReturnWhen::first_completed
                        : return_when == 2 ? ReturnWhen::first_exception
                                           : ReturnWhen::all_completed;
  WaitResult<JsFut> res = co_await aio::wait(std::move(fs), options);
  val done = val::array(), pending = val::array();
  for (auto& f : res.done) done.call<void>("push", js_of(f));
  for (auto& f : res.pending) pending.call<void>("push", js_of(f));
  val out = val::array();
  out.call<void>("push", done);
  out.call<void>("push", pending);
  co_return out;
}

// `async with asyncio.timeout(d) as cm:`. The body (a generator function)
// gets a JS handle on the scope, valid while it runs, for cm.reschedule() /
// cm.when() / cm.expired().
Task<val> op_timeout(std::optional<double> when, val body, JsTaskSelf self) {
  aio::Timeout cm(when);
  val aio = val::module_property("__aio");
  val handle = aio.call<val>("timeoutScope", reinterpret_cast<std::uintptr_t>(&cm));
  struct Invalidate {
    val& handle;
    aio::Timeout& cm;
    ~Invalidate() {
      handle.set("_expired", cm.expired());
      handle.set("_p", 0);
    }
  } invalidate{handle, cm};
  val gen = aio.call<val>("startBody", body, handle);  // never throws: errors come from the generator
  co_return co_await cm.run(drive(JsRef::copy(gen), std::move(self)));
}

// `async with TaskGroup() as tg:`; `group` keeps the JS TaskGroup (and so its
// box) alive while the body runs.
Task<val> op_task_group(Box<TaskGroup> tg, val body, val group, JsTaskSelf self) {
  co_return co_await tg->run(drive(JsRef::copy(body), std::move(self)));
}

// Reads the Op record the generator yielded and starts the coroutine that
// awaits it (not a coroutine itself, see run_small_op).
Task<val> run_op(const JsTaskSelf& self) {
  OpArgs a;
  aio_js_read_op(&a);
  val value = val::take_ownership(a.value);
  val extra = val::take_ownership(a.extra);
  switch (a.code) {
    case kWait:
      return op_wait(std::move(value), opt(a.num), extra.as<int>());
    case kTimeout:
    case kTimeoutAt: {
      std::optional<double> when = opt(a.num);
      if (a.code == kTimeout && when) when = *when + detail::t_current_task->loop()->time();
      return op_timeout(when, std::move(value), self.inner());
    }
    case kTaskGroup:
      return op_task_group(box_get<TaskGroup>(a.target), std::move(value), std::move(extra), self.inner());
    default:
      return run_small_op(a, std::move(value), std::move(extra));
  }
}

// How deeply coroutines started by start_nested() run inside one another
// right now: each is resumed inline, inside its parent's resumption, so each
// level of `yield child()` (or of a timeout() or task group body) deepens
// the native stack, which in a browser or Node is about 1 MB. At about 3,500
// levels (fewer through timeout bodies) the wasm code itself overflowed it:
// a RangeError no C++ or JS handler of ours could catch, thrown out of the
// loop's slice (an uncaught error; the loop never ran again). Beyond
// kMaxInlineDepth the yield raises RuntimeError instead, as Python raises
// RecursionError (a RuntimeError) at its default limit of 1,000 frames.
// `yield* child()` is JS's own delegation: JS's own RangeError, which step()
// catches.
int g_inline_depth = 0;
constexpr int kMaxInlineDepth = 1000;
[[noreturn]] void rethrow_slot(std::uintptr_t kind);
[[noreturn, gnu::noinline]] void throw_too_deep() {
  // Made by index.js's makeError (js_interop.cpp's import: the loader does
  // not grow, nor the wasm by a C++ exception class's code).
  // The step's slot is free: start_nested() took its value.
  g_step.slot = aio_js_make_error("RuntimeError", "maximum recursion depth exceeded", val::undefined().as_handle());
  rethrow_slot(kThrew);
}

// Awaits what start_nested() returns (unstarted, so run inline), counting
// the depth. Holds what `co_await start_nested(...)` held in drive's frame
// (the task and its awaiter): the frame does not grow.
struct NestedAwaiter {
  Task<val> task;
  decltype(std::declval<Task<val>>().operator co_await()) inner;
  explicit NestedAwaiter(Task<val> t) : task(std::move(t)), inner(std::move(task).operator co_await()) {}
  bool await_ready() { return inner.await_ready(); }
  bool await_suspend(coro::coroutine_handle<> h) {
    if (g_inline_depth >= kMaxInlineDepth) throw_too_deep();
    // No cleanup on unwinding needed (nor its code): the inline start throws
    // only for a reused or task-less coroutine, and these are neither; what
    // the child raises stays in its frame.
    ++g_inline_depth;
    bool suspended = inner.await_suspend(h);
    --g_inline_depth;
    return suspended;
  }
  val await_resume() { return inner.await_resume(); }
};

// What drive() awaits when a step yielded a generator, a thenable or an
// operation. Not a coroutine, and not inline in drive(): the temporaries that
// start these live here instead of in drive's frame, which is most of the
// memory every pending JS task holds (tests/node/test_memory.mjs bounds it).
Task<val> start_nested(std::uintptr_t kind, const JsTaskSelf& self) {
  if (kind == kGenerator) return drive(take_slot_ref(), self.inner());
  if (kind == kPromise) return await_thenable(take_slot());
  return run_op(self);
}

// The generator threw: rethrow its error in C++ (out of line for the same
// reason: the string would otherwise take a slot in drive's frame).
[[noreturn]] void rethrow_slot(std::uintptr_t kind) {
  if (kind == kThrewCancelled) throw CancelledError(take_slot().as<std::string>());
  throw JsError(take_slot());
}

}  // namespace

JsTaskSelf::JsTaskSelf(JsTaskSelf&& o) noexcept : self_(std::move(o.self_)), root_(o.root_) {
  if (!root_) return;
  next_ = head_;
  if (head_) head_->prev_ = this;
  head_ = this;
  linked_ = true;
  ++linked_count_;
  ++created_since_sweep_;
}

JsTaskSelf::~JsTaskSelf() {
  if (!linked_) return;
  if (prev_)
    prev_->next_ = next_;
  else
    head_ = next_;
  if (next_) next_->prev_ = prev_;
  --linked_count_;
}

void JsTaskSelf::sweep() {
  for (JsTaskSelf* n = head_; n; n = n->next_)
    if (n->task && n->task->done()) n->drop();
  created_since_sweep_ = 0;
}

void JsTaskSelf::maybe_sweep() {
  // Once as many tasks were created as there are frames: each sweep is paid
  // for by the creations since the last one.
  if (created_since_sweep_ > 1024 && created_since_sweep_ > linked_count_) sweep();
}

Task<val> create_js_task(EventLoop* loop, TaskGroup* group, JsRef gen, JsRef self, std::string name, bool eager) {
  JsTaskSelf::maybe_sweep();
  Task<val> coro = drive(std::move(gen), JsTaskSelf(std::move(self), true));
  // The frame just made linked its JsTaskSelf first in the list.
  JsTaskSelf::head()->task = &coro.core();
  // Always with eager_start= (false is the default of a loop without a task
  // factory, and JS loops have none on the C++ side: index.js calls its own):
  // one instantiation of create_task instead of two, for the package's size.
  if (group) return group->create_task(std::move(coro), std::move(name), EagerStart{eager});
  return loop->create_task(std::move(coro), std::move(name), EagerStart{eager});
}

Task<val> drive(JsRef gen, JsTaskSelf self) {
  int mode = 0;  // 0: gen.next(send), 1: gen.throw(send)
  val send = val::undefined();
  for (;;) {
    std::uintptr_t r = aio_js_step(gen.handle(), mode, send.as_handle(), self.object().handle(), &g_step);
    mode = 0;
    if (r <= kThrewCancelled) {
      // The generator has finished: let go of it and of the JS Task object
      // now (the frame lives on while JS holds the Task). Not a local
      // object's destructor: that would take a slot in every task's frame.
      self.drop();
      gen.reset();
      if (r == kDone) co_return take_slot();
      rethrow_slot(r);
    }
    if (r == kBadYield) {
      send = take_slot();
      mode = 1;
      continue;
    }
    try {
      if (r >= kFirstAddress) {
        JsFut f(reinterpret_cast<detail::FutureCore*>(r));
        send = co_await f;
      } else if (r == kYield || r == kSleepOp) {
        // One co_await for both: one awaiter slot in the frame. What the
        // generator gets back is set first (a cancellation replaces it).
        double delay = 0;
        if (r == kSleepOp) {
          delay = g_step.delay;
          send = take_slot();
        } else if (!send.isUndefined()) {
          // Every val assignment or destruction is a call into JS (even for
          // undefined): skip it when send already is undefined.
          send = val::undefined();
        }
        co_await aio::sleep(delay);
      } else {  // kGenerator, kPromise, kOp
        send = co_await NestedAwaiter(start_nested(r, self));
      }
    } catch (...) {
      // Thrown back into the generator at its yield (no co_await in here).
      send = to_js_error(std::current_exception());
      mode = 1;
    }
  }
}

void settle(std::uintptr_t wait, bool ok, val value) {
  auto* w = reinterpret_cast<PromiseWait*>(wait);
  w->end_external();
  // Called from a promise callback: nothing may escape into JS (it would be
  // an unhandled rejection); report to the loop instead.
  try {
    if (w->awaiting && !w->fut.done()) {
      if (ok)
        w->fut.set_result(std::move(value));
      else
        w->fut.set_exception(std::make_exception_ptr(JsError(std::move(value))));
      wake(*w->loop);
    }
  } catch (...) {
    w->loop->call_exception_handler({"Exception while settling an awaited promise", std::current_exception(), {}, {}, {}});
  }
  w->release();
}

val js_all_tasks(EventLoop& loop) {
  // The JS Task objects by their tasks' addresses, in a JS Map (see op_wait).
  val js = val::global("Map").new_();
  for (JsTaskSelf* n = JsTaskSelf::head(); n; n = n->next())
    if (n->task) js.call<void>("set", address(*n->task), n->object().get());
  val out = val::array();
  for (detail::TaskCore* t : loop.all_tasks()) {
    val entry = val::array();
    entry.call<void>("push", val(to_js_ptr(*t)));             // a reference for JS
    entry.call<void>("push", js.call<val>("get", address(*t)));  // undefined for a task not made from JS
    out.call<void>("push", entry);
  }
  return out;
}

}  // namespace aio::wasm
