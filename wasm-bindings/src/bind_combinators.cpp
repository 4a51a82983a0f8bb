// Embind bindings of the combinators that return a future at once (gather,
// shield), and of the heap statistics the memory test reads. wait_for, wait,
// timeout and TaskGroup.run are awaited through Op records instead (see
// js_coroutine.cpp); as_completed is written in JS on top of futures, the
// way asyncio writes it in Python.
#include <emscripten/bind.h>
#include <malloc.h>

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "aio/timeouts.hpp"

#include "aio/gather.hpp"
#include "aio/shield.hpp"
#include "js_interop.hpp"
#include "js_objects.hpp"

namespace aio::wasm {
namespace {

using Ptr = std::uintptr_t;

std::vector<JsFut> futs_of(const val& ptrs) {
  std::vector<JsFut> fs;
  int n = ptrs["length"].as<int>();
  fs.reserve(n);
  for (int i = 0; i < n; ++i) fs.emplace_back(reinterpret_cast<detail::FutureCore*>(ptrs[i].as<Ptr>()));
  return fs;
}

// gather's result is a GatheringFuture<std::vector<...>>; JS gets a
// Future<val> that mirrors it (an array for a result) and passes its
// cancellation on, as the gathering future itself would.
template <class G, class ToArray>
Ptr mirror(G g, EventLoop& loop, ToArray to_array) {
  Future<val> out = loop.create_future<val>();
  g.add_done_callback([out, to_array](G& done) mutable {
    detail::FutureCore& core = done.core();
    // `out` stands for g, which JS never sees: whatever g ends with is out's
    // to report. When JS cancelled `out`, g ends with the CancelledError
    // asyncio's gathering future sets, which nobody could retrieve ("Future
    // exception was never retrieved" after the awaiter had caught it).
    core.mark_retrieved();
    if (out.done()) return;
    if (core.cancelled())
      out.cancel(core.cancel_message());
    else if (std::exception_ptr e = core.exception())
      out.set_exception(e);
    else
      out.set_result(to_array(done.result()));
  });
  out.add_done_callback([g](Future<val>& o) mutable {
    if (o.cancelled() && !g.done()) g.cancel(o.core().cancel_message());
  });
  return to_js_ptr(out.core());
}

Ptr gather(Ptr loop_ptr, val ptrs, bool return_exceptions) {
  return guarded([&]() -> Ptr {
    EventLoop& loop = loop_of(loop_ptr);
    std::vector<JsFut> fs = futs_of(ptrs);
    if (fs.empty()) {
      Future<val> out = loop.create_future<val>();
      out.set_result(val::array());
      return to_js_ptr(out.core());
    }
    if (return_exceptions) {
      return mirror(aio::gather(aio::return_exceptions, std::move(fs)), loop, [](const std::vector<Outcome<val>>& rs) {
        val a = val::array();
        for (const auto& r : rs) a.call<void>("push", r.has_value() ? r.value() : to_js_error(r.exception()));
        return a;
      });
    }
    return mirror(aio::gather(std::move(fs)), loop, [](const std::vector<val>& rs) {
      val a = val::array();
      for (const auto& r : rs) a.call<void>("push", r);
      return a;
    });
  });
}

Ptr shield(Ptr f) {
  return guarded([&] {
    Future<val> out = aio::shield(JsFut(&core_of(f)));
    return to_js_ptr(out.core());
  });
}

// The scope of rt.timeout() while its body runs (see run_op).
Timeout& scope_of(Ptr p) { return *reinterpret_cast<Timeout*>(p); }
double timeout_when(Ptr p) {
  auto w = scope_of(p).when();
  return w ? *w : std::numeric_limits<double>::quiet_NaN();
}
void timeout_reschedule(Ptr p, double when) {
  guarded([&] { scope_of(p).reschedule(std::isnan(when) ? std::nullopt : std::optional<double>(when)); });
}
bool timeout_expired(Ptr p) { return scope_of(p).expired(); }

// Bytes of the wasm heap in use by malloc (dlmalloc's mallinfo().uordblks):
// unlike HEAP8.length, it goes down when memory is freed.
double heap_used() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace
}  // namespace aio::wasm

EMSCRIPTEN_BINDINGS(aio_combinators) {
  using namespace emscripten;
  using namespace aio::wasm;
  function("gather", &gather);
  function("shield", &shield);
  function("heap_used", &heap_used);
  function("timeout_when", &timeout_when);
  function("timeout_reschedule", &timeout_reschedule);
  function("timeout_expired", &timeout_expired);
  function("settle", &settle);
}
