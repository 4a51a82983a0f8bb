// Embind bindings of the synchronisation primitives and queues of JS values.
// Their suspending methods (acquire, wait, get, put, join) are not bound
// here: JS yields an Op record for them and drive() awaits the C++ method
// (js_coroutine.cpp). What is here never suspends.
#include <emscripten.h>
#include <emscripten/bind.h>

#include "js_interop.hpp"
#include "js_objects.hpp"

using aio::wasm::EM_VAL;

// 0 or 1; 2 when the values cannot be compared (the error is then taken
// from the slot).
EM_JS(int, aio_js_less, (EM_VAL a, EM_VAL b), { return Module.__aio.less(Emval.toValue(a), Emval.toValue(b)); });
EM_JS(EM_VAL, aio_js_take_less_error, (), {
  var e = Module.__aio.slot;
  Module.__aio.slot = undefined;
  return Emval.toHandle(e);
});

namespace aio::wasm {

bool JsLess::operator()(const val& a, const val& b) const {
  int r = aio_js_less(a.as_handle(), b.as_handle());
  if (r == 2) throw JsError(val::take_ownership(aio_js_take_less_error()));
  return r == 1;
}

namespace {

using Ptr = std::uintptr_t;

// ---- Lock -------------------------------------------------------------------
Ptr lock_new() { return box_new(std::make_shared<Lock>()); }
void lock_delete(Ptr p) { box_delete<Lock>(p); }
bool lock_locked(Ptr p) { return box_get<Lock>(p)->locked(); }
void lock_release(Ptr p) {
  guarded([&] { box_get<Lock>(p)->release(); });
}
std::string lock_describe(Ptr p) { return box_get<Lock>(p)->describe(); }

// ---- Event ------------------------------------------------------------------
Ptr event_new() { return box_new(std::make_shared<Event>()); }
void event_delete(Ptr p) { box_delete<Event>(p); }
bool event_is_set(Ptr p) { return box_get<Event>(p)->is_set(); }
void event_set(Ptr p) {
  guarded([&] { box_get<Event>(p)->set(); });
}
void event_clear(Ptr p) { box_get<Event>(p)->clear(); }
std::string event_describe(Ptr p) { return box_get<Event>(p)->describe(); }

// ---- Semaphore, BoundedSemaphore ---------------------------------------------
Ptr semaphore_new(double value, bool bounded) {
  return guarded([&]() -> Ptr {
    if (bounded) return box_new<Semaphore>(std::make_shared<BoundedSemaphore>(static_cast<long>(value)));
    return box_new(std::make_shared<Semaphore>(static_cast<long>(value)));
  });
}
void semaphore_delete(Ptr p) { box_delete<Semaphore>(p); }
bool semaphore_locked(Ptr p) { return box_get<Semaphore>(p)->locked(); }
void semaphore_release(Ptr p) {
  guarded([&] { box_get<Semaphore>(p)->release(); });
}
double semaphore_value(Ptr p) { return static_cast<double>(box_get<Semaphore>(p)->value()); }
std::string semaphore_describe(Ptr p) { return box_get<Semaphore>(p)->describe(); }

// ---- Condition --------------------------------------------------------------
// A condition over a JS Lock shares the lock's box, so the lock lives as long
// as the condition.
struct CondOverLock {
  Box<Lock> lock;
  Condition cond;
  explicit CondOverLock(Box<Lock> l) : lock(std::move(l)), cond(*lock) {}
};
Ptr condition_new(Ptr lock) {
  if (!lock) return box_new(std::make_shared<Condition>());
  auto both = std::make_shared<CondOverLock>(box_get<Lock>(lock));
  return box_new(Box<Condition>(both, &both->cond));
}
void condition_delete(Ptr p) { box_delete<Condition>(p); }
bool condition_locked(Ptr p) { return box_get<Condition>(p)->locked(); }
void condition_release(Ptr p) {
  guarded([&] { box_get<Condition>(p)->release(); });
}
void condition_notify(Ptr p, double n) {
  guarded([&] { box_get<Condition>(p)->notify(static_cast<long>(n)); });
}
void condition_notify_all(Ptr p) {
  guarded([&] { box_get<Condition>(p)->notify_all(); });
}
std::string condition_describe(Ptr p) { return box_get<Condition>(p)->describe(); }

// ---- Barrier ----------------------------------------------------------------
Ptr barrier_new(int parties) {
  return guarded([&] { return box_new(std::make_shared<Barrier>(parties)); });
}
void barrier_delete(Ptr p) { box_delete<Barrier>(p); }
int barrier_parties(Ptr p) { return box_get<Barrier>(p)->parties(); }
int barrier_n_waiting(Ptr p) { return box_get<Barrier>(p)->n_waiting(); }
bool barrier_broken(Ptr p) { return box_get<Barrier>(p)->broken(); }
std::string barrier_describe(Ptr p) { return box_get<Barrier>(p)->describe(); }

// ---- Queue, LifoQueue, PriorityQueue ------------------------------------------
Ptr queue_new(double maxsize, int kind) {
  long m = static_cast<long>(maxsize);
  if (kind == 1) return box_new<JsQueue>(std::make_shared<JsQueueImpl<LifoQueue<val>>>(m));
  if (kind == 2) return box_new<JsQueue>(std::make_shared<JsQueueImpl<PriorityQueue<val, JsLess>>>(m));
  return box_new<JsQueue>(std::make_shared<JsQueueImpl<Queue<val>>>(m));
}
void queue_delete(Ptr p) { box_delete<JsQueue>(p); }
void queue_put_nowait(Ptr p, val item) {
  guarded([&] { box_get<JsQueue>(p)->put_nowait(std::move(item)); });
}
val queue_get_nowait(Ptr p) {
  return guarded([&] { return box_get<JsQueue>(p)->get_nowait(); });
}
void queue_task_done(Ptr p) {
  guarded([&] { box_get<JsQueue>(p)->task_done(); });
}
void queue_shutdown(Ptr p, bool immediate) {
  guarded([&] { box_get<JsQueue>(p)->shutdown(immediate); });
}
double queue_qsize(Ptr p) { return static_cast<double>(box_get<JsQueue>(p)->qsize()); }
double queue_maxsize(Ptr p) { return static_cast<double>(box_get<JsQueue>(p)->maxsize()); }
bool queue_empty(Ptr p) { return box_get<JsQueue>(p)->empty(); }
bool queue_full(Ptr p) { return box_get<JsQueue>(p)->full(); }
bool queue_is_shutdown(Ptr p) { return box_get<JsQueue>(p)->is_shutdown(); }
std::string queue_describe(Ptr p) { return box_get<JsQueue>(p)->describe(); }

// ---- TaskGroup ----------------------------------------------------------------
Ptr taskgroup_new() { return box_new(std::make_shared<TaskGroup>()); }
void taskgroup_delete(Ptr p) { box_delete<TaskGroup>(p); }
std::string taskgroup_describe(Ptr p) { return box_get<TaskGroup>(p)->repr(); }

}  // namespace
}  // namespace aio::wasm

EMSCRIPTEN_BINDINGS(aio_sync) {
  using namespace emscripten;
  using namespace aio::wasm;
  function("lock_new", &lock_new);
  function("lock_delete", &lock_delete);
  function("lock_locked", &lock_locked);
  function("lock_release", &lock_release);
  function("lock_describe", &lock_describe);
  function("event_new", &event_new);
  function("event_delete", &event_delete);
  function("event_is_set", &event_is_set);
  function("event_set", &event_set);
  function("event_clear", &event_clear);
  function("event_describe", &event_describe);
  function("semaphore_new", &semaphore_new);
  function("semaphore_delete", &semaphore_delete);
  function("semaphore_locked", &semaphore_locked);
  function("semaphore_release", &semaphore_release);
  function("semaphore_value", &semaphore_value);
  function("semaphore_describe", &semaphore_describe);
  function("condition_new", &condition_new);
  function("condition_delete", &condition_delete);
  function("condition_locked", &condition_locked);
  function("condition_release", &condition_release);
  function("condition_notify", &condition_notify);
  function("condition_notify_all", &condition_notify_all);
  function("condition_describe", &condition_describe);
  function("barrier_new", &barrier_new);
  function("barrier_delete", &barrier_delete);
  function("barrier_parties", &barrier_parties);
  function("barrier_n_waiting", &barrier_n_waiting);
  function("barrier_broken", &barrier_broken);
  function("barrier_describe", &barrier_describe);
  function("queue_new", &queue_new);
  function("queue_delete", &queue_delete);
  function("queue_put_nowait", &queue_put_nowait);
  function("queue_get_nowait", &queue_get_nowait);
  function("queue_task_done", &queue_task_done);
  function("queue_shutdown", &queue_shutdown);
  function("queue_qsize", &queue_qsize);
  function("queue_maxsize", &queue_maxsize);
  function("queue_empty", &queue_empty);
  function("queue_full", &queue_full);
  function("queue_is_shutdown", &queue_is_shutdown);
  function("queue_describe", &queue_describe);
  function("taskgroup_new", &taskgroup_new);
  function("taskgroup_delete", &taskgroup_delete);
  function("taskgroup_describe", &taskgroup_describe);
}
