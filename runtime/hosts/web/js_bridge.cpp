#include "js_bridge.hpp"

#include <emscripten.h>

#include "aio/web/web_host.hpp"
#include "id_registry.hpp"

// The JS half of the bridge. Kept to what C++ cannot do itself: holding JS
// objects, and turning strings and buffers into bytes C++ can copy.
EM_JS(void, aio_web_bridge_init, (), {
  if (Module.__aioWeb) return;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();
  var W = Module.__aioWeb = {
    next: 1,
    table: new Map(),
    staged: null,
    // Written this way because an EM_JS body cannot hold backslash escapes.
    NUL: String.fromCharCode(0),
    NL: String.fromCharCode(10),
    put: function(obj) {
      var h = W.next++;
      W.table.set(h, obj);
      return h;
    },
    get: function(h) { return W.table.get(h); },
    release: function(h) {
      var rec = W.table.get(h);
      if (!rec) return;
      W.table.delete(h);
      if (rec.release) rec.release();
    },
    // Staging: one slot is enough because C++ copies the bytes out before
    // returning from the call that was told their length.
    stage: function(v) {
      if (typeof v === 'string') W.staged = encoder.encode(v);
      else if (v instanceof Uint8Array) W.staged = v;
      else if (ArrayBuffer.isView(v)) W.staged = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      else W.staged = new Uint8Array(v);
      return W.staged.length;
    },
    // C++ strings and buffers (ptr, len) as JS values; slice() copies, as the
    // wasm memory may grow (and move) later.
    // TextDecoder refuses a view of shared memory (the threads build's): copy then.
    text: function(ptr, len) {
      return decoder.decode(HEAPU8.buffer instanceof ArrayBuffer ? HEAPU8.subarray(ptr, ptr + len) : HEAPU8.slice(ptr, ptr + len));
    },
    bytes: function(ptr, len) { return HEAPU8.slice(ptr, ptr + len); },
    // "a\0b\0c\0d" -> ['a', 'b', 'c', 'd'] (header lists, protocol lists).
    list: function(ptr, len) { return len ? W.text(ptr, len).split(W.NUL) : []; },
    // "a\0b\0c\0d" -> [['a', 'b'], ['c', 'd']] (headers, options).
    pairs: function(ptr, len) {
      var f = W.list(ptr, len), out = [];
      for (var i = 0; i + 1 < f.length; i += 2) out.push([f[i], f[i + 1]]);
      return out;
    },
    // An error for C++: "Name\nmessage". Node's fetch says only "fetch
    // failed" and keeps the reason ("connect ECONNREFUSED ...") in `cause`:
    // keep both.
    errorText: function(e) {
      var name = (e && e.name) || 'Error';
      var message = e && e.message !== undefined ? String(e.message) : String(e);
      if (e && e.cause && e.cause.message) message += ' (' + e.cause.message + ')';
      return name + W.NL + message;
    },
    // A synchronous failure, read by C++ right after the call returned.
    lastError: "",
    fail: function(e) {
      W.lastError = typeof e === 'string' ? e : W.errorText(e);
      return -1;
    },
    // Hands a settled promise's outcome to C++. `v` (optional) is staged for
    // it. Returns whether an op took it: false when the op was abandoned
    // (cancelled) before the promise settled, which is not an error.
    settle: function(op, ok, value, v) {
      var n = v === undefined ? 0 : W.stage(v);
      var taken = _aio_web_op_settle(op, ok ? 1 : 0, value, n);
      W.staged = null;
      return taken !== 0;
    },
    // Awaits `promise` for op `op`; `onValue(v)` returns [value, staged].
    // Nothing may throw out of these handlers: the rejection would be
    // unhandled, and Emscripten's Node glue turns that into a crash.
    await: function(op, promise, onValue) {
      promise.then(function(v) {
        var r;
        try {
          r = onValue(v);
        } catch (e) {
          W.settle(op, false, 0, W.errorText(e));
          return;
        }
        W.settle(op, true, r[0], r[1]);
      }, function(e) {
        W.settle(op, false, 0, W.errorText(e));
      });
    },
  };
});

EM_JS(void, aio_web_unstage, (char* ptr), {
  var W = Module.__aioWeb;
  HEAPU8.set(W.staged, ptr);
  W.staged = null;
});

EM_JS(int, aio_web_stage_error, (), {
  var W = Module.__aioWeb;
  var n = W.stage(W.lastError);
  W.lastError = "";
  return n;
});

EM_JS(void, aio_web_release, (int handle), { Module.__aioWeb.release(handle); });

EM_JS(void, aio_web_abort, (int handle), {
  var rec = Module.__aioWeb.get(handle);
  if (rec && rec.abort) rec.abort();
});

EM_JS(int, aio_web_live_handles, (), { return Module.__aioWeb ? Module.__aioWeb.table.size : 0; });

namespace aio::web::detail {
namespace {

IdRegistry<PendingOp>& ops() {
  static IdRegistry<PendingOp> registry;
  return registry;
}

}  // namespace

void bridge_init() {
  static bool done = false;
  if (!done) {
    aio_web_bridge_init();
    done = true;
  }
}

std::string unstage(int length) {
  std::string out;
  if (length <= 0) return out;
  out.resize(static_cast<std::size_t>(length));
  aio_web_unstage(out.data());
  return out;
}

Bytes unstage_bytes(int length) {
  Bytes out;
  if (length <= 0) return out;
  out.resize(static_cast<std::size_t>(length));
  aio_web_unstage(reinterpret_cast<char*>(out.data()));
  return out;
}

std::string take_error() { return unstage(aio_web_stage_error()); }

int live_handles() { return aio_web_live_handles(); }

int pending_ops() { return static_cast<int>(ops().size()); }

void check_driven(EventLoop& loop, const char* what) {
  auto* host = as_web_host(loop.host());
  if (!host || !host->driving())
    throw RuntimeError(std::string(what) +
                       " needs its event loop driven from the JS event loop: run it with "
                       "aio::web::run_until_complete() or aio::web::run_forever(); a blocking run never "
                       "gives control back to JS, so the result could never arrive");
}

EventLoop& driven_loop() {
  EventLoop& loop = get_running_loop();
  check_driven(loop, "reading a response or a WebSocket");
  return loop;
}

void wake(EventLoop& loop) noexcept {
  if (auto* host = as_web_host(loop.host())) host->wake();
}

void JsRecord::reset() noexcept {
  if (handle_) aio_web_release(std::exchange(handle_, 0));
}

std::pair<std::string, std::string> split_error(const std::string& staged) {
  auto nl = staged.find('\n');
  if (nl == std::string::npos) return {"Error", staged};
  return {staged.substr(0, nl), staged.substr(nl + 1)};
}

PendingOp::PendingOp(EventLoop& loop, int record) : anchor_(loop.anchor()), id_(ops().add(this)), record_(record) {
  ++anchor_->refs;
  loop.begin_external_work();
}

PendingOp::~PendingOp() {
  EventLoop* loop = anchor_->loop;
  if (id_) {
    // Abandoned while JS still works on it: JS will settle a promise nobody
    // waits for, which settle() below ignores; stop the work itself now.
    ops().remove(id_);
    if (loop) loop->end_external_work();
    if (record_) aio_web_abort(record_);
  }
  anchor_->release();
}

bool PendingOp::settle(bool ok, int value, int staged) noexcept {
  ops().remove(id_);
  id_ = 0;
  EventLoop* loop = anchor_->loop;
  if (!loop) return false;
  loop->end_external_work();
  if (loop->is_closed()) return false;
  bool taken = deliver(ok, value, staged);
  // The future's callbacks (the waiting task's wake-up) are on the ready
  // queue now; an idle host must run a slice for them.
  if (taken) wake(*loop);
  return taken;
}

}  // namespace aio::web::detail

extern "C" {
// Called by W.settle() when a promise awaited by an op settles.
EMSCRIPTEN_KEEPALIVE int aio_web_op_settle(int op, int ok, int value, int staged) {
  auto* pending = aio::web::detail::ops().find(op);
  if (!pending) return 0;  // abandoned: cancelled or destroyed
  return pending->settle(ok != 0, value, staged) ? 1 : 0;
}
}
