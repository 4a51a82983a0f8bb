// The threads module only (not linked into the default one): a job on the
// loop's default executor for the package's tests (loop._executorJob).
//
// JS functions cannot run on a worker thread (each Web Worker has a JS realm
// of its own), so the package exposes no run_in_executor for JS callbacks;
// C++ code in the module (the demos, bindings of one's own) uses
// aio::run_in_executor and aio::to_thread, which run on Web Workers in the
// threads module (aio-threads.mjs) and raise RuntimeError in the default one.
#include <emscripten/bind.h>
#include <emscripten/threading.h>

#include <chrono>
#include <string>
#include <thread>

#include "aio/config.hpp"
#include "aio/executor.hpp"
#include "js_interop.hpp"

namespace aio::wasm {
namespace {

using Ptr = std::uintptr_t;

// A blocking job (it sleeps `seconds`) on the loop's default executor; the
// future's result says where it ran: 'worker', or 'main' if it ever ran on
// the loop's thread. The default module raises RuntimeError (no threads).
Ptr executor_job(Ptr p, double seconds) {
  return guarded([&] {
    EventLoop& loop = loop_of(p);
    Future<val> out = loop.create_future<val>();
    Future<bool> job = run_in_executor(loop, nullptr, [seconds] {
      std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
      return emscripten_is_main_runtime_thread() != 0;
    });
    job.add_done_callback([out](Future<bool>& f) mutable {
      if (out.done()) return;
      if (f.cancelled()) {
        out.cancel();
      } else if (auto e = f.exception()) {
        out.set_exception(e);
      } else {
        out.set_result(val(std::string(f.result() ? "main" : "worker")));
      }
    });
    out.add_done_callback([job](Future<val>& f) mutable {
      if (f.cancelled()) job.cancel();
    });
    return to_js_ptr(out.core());
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(aio_threads) {
  emscripten::function("executor_job", &executor_job);
}

}  // namespace aio::wasm
