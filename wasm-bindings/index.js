// aio-asyncio: Python's asyncio on the JS event loop, from a C++20 coroutine
// runtime compiled to WebAssembly.
//
// Two layers (see README.md): the Embind bindings in src/ (raw names,
// addresses instead of objects) and this file, which gives them asyncio's
// API in camelCase. JS coroutines are generator functions: `yield x` awaits
// x (a Future, a Task, a Promise, a generator, or an operation such as
// sleep(1) or lock.acquire()); the C++ task running the generator does the
// waiting, so JS tasks are scheduled and cancelled exactly as C++ ones.
import createAioModule from './dist/aio.mjs';

// ---- errors -----------------------------------------------------------------
// asyncio's exception names. C++ exceptions arrive as instances of these;
// JS values thrown by JS code keep their identity across the boundary.

/** The task or future was cancelled (asyncio.CancelledError). */
export class CancelledError extends Error {}
/** An operation not allowed in the future's state (asyncio.InvalidStateError). */
export class InvalidStateError extends Error {}
/** A deadline passed (TimeoutError). */
export class TimeoutError extends Error {}
/** Python's RuntimeError: loop already running, closed, no running loop, ... */
export class RuntimeError extends Error {}
/** Python's ValueError. */
export class ValueError extends Error {}
/** getNowait() on an empty queue. */
export class QueueEmpty extends Error {}
/** putNowait() on a full queue. */
export class QueueFull extends Error {}
/** put()/get() on a queue that was shut down. */
export class QueueShutDown extends Error {}
/** A Barrier was aborted or reset while waiting. */
export class BrokenBarrierError extends RuntimeError {}
/** Several errors raised together (Python's BaseExceptionGroup). */
export class BaseExceptionGroup extends Error {
  constructor(message, exceptions) {
    super(`${message} (${exceptions.length} sub-exception${exceptions.length === 1 ? '' : 's'})`);
    /** The errors, in the order they happened. */
    this.exceptions = exceptions;
    this.groupMessage = message;
  }
}
/** A group of ordinary errors (Python's ExceptionGroup), e.g. from a TaskGroup. */
export class ExceptionGroup extends BaseExceptionGroup {}

/** A request got no HTTP response (network failure, CORS, bad URL) or its body failed. */
export class FetchError extends Error {
  constructor(message, info = {}) {
    super(message);
    /** The JS error's class name ("TypeError" for network failures). */
    this.errorName = info.errorName;
  }
}
/** A WebSocket could not be opened, or was misused. */
export class WebSocketError extends Error {}
/** The WebSocket connection is closed (receive() after the queue drained, send()). */
export class ConnectionClosed extends WebSocketError {
  constructor(message, info = {}) {
    super(message);
    this.code = info.code;
    this.reason = info.reason;
    this.wasClean = info.wasClean;
  }
}
/** Closed normally (1000, 1001, or a clean close without a code). */
export class ConnectionClosedOK extends ConnectionClosed {}
/** Closed with an error code, or dropped (1006). */
export class ConnectionClosedError extends ConnectionClosed {}

const ERRORS = {
  CancelledError, InvalidStateError, TimeoutError, RuntimeError, ValueError, QueueEmpty, QueueFull,
  QueueShutDown, BrokenBarrierError, BaseExceptionGroup, ExceptionGroup, FetchError, WebSocketError,
  ConnectionClosed, ConnectionClosedOK, ConnectionClosedError,
};
for (const [name, cls] of Object.entries(ERRORS)) {
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, configurable: true });
}

function makeError(name, message, subs) {
  if (name === 'TypeError') return new TypeError(message);
  const cls = ERRORS[name];
  if (cls && subs !== undefined) return new cls(message, subs);
  if (cls) return new cls(message);
  const e = new Error(message);
  e.name = name;
  return e;
}

// ---- operations -------------------------------------------------------------
// What sleep(), lock.acquire(), queue.get(), waitFor() ... return: a record
// the generator yields and the C++ side of the task awaits. It holds no wasm
// memory, so one that is never yielded costs nothing.
// Codes: keep in sync with js_coroutine.cpp. `target`: the object whose
// address the C++ side reads when the operation is yielded (aio_js_read_op), or 0.
// Constants rather than an object's properties: the minifier inlines them
// (about 220 bytes of the gzipped package).
const OP_LOCK_ACQUIRE = 1, OP_SEM_ACQUIRE = 2, OP_COND_ACQUIRE = 3, OP_COND_WAIT = 4, OP_EVENT_WAIT = 5,
  OP_BARRIER_WAIT = 6, OP_BARRIER_RESET = 7, OP_BARRIER_ABORT = 8, OP_QUEUE_GET = 9, OP_QUEUE_PUT = 10,
  OP_QUEUE_JOIN = 11, OP_SLEEP = 12, OP_WAIT_FOR = 13, OP_WAIT = 14, OP_TIMEOUT = 15, OP_TIMEOUT_AT = 16,
  OP_TASK_GROUP = 17, OP_FETCH = 30, OP_RESPONSE_TEXT = 31, OP_RESPONSE_BYTES = 32, OP_READER_READ = 33,
  OP_WS_CONNECT = 34, OP_WS_RECEIVE = 35, OP_WS_CLOSE = 36, OP_WS_WAIT_CLOSED = 37;
class Op {
  constructor(code, target, num, value, extra) {
    this.code = code;
    this.target = target;
    this.num = num;
    this.value = value;
    this.extra = extra;
  }
  // Only a task runs an operation. Without this, `await rt.sleep(1)` in an
  // async function would go on at once with the record as its value: a
  // silent no-op. A thenable that rejects says how to run it instead.
  then(onResolved, onRejected) {
    return Promise.reject(new TypeError('an operation (sleep(), lock.acquire(), ...) is yielded in a generator task, not awaited: in an async function, await loop.createTask(op)')).then(onResolved, onRejected);
  }
}
const SLEEP0 = Object.freeze(new Op(OP_SLEEP, 0, 0, undefined, undefined));

// Arguments are checked at the call, as asyncio checks them: a callback that
// is not one failed only when the loop ran it (a TypeError from inside the
// package), and a delay that is not a number made a NaN timer or none.
// `orNone`: null/undefined mean None (no time limit): NaN for the C++ side.
function callable(fn, by) {
  if (typeof fn !== 'function') throw new TypeError(`a callable object was expected by ${by}(), got ${describe(fn)}`);
  return fn;
}
function seconds(v, name, orNone) {
  if (orNone && v == null) return NaN;
  if (typeof v !== 'number' || v !== v) throw new TypeError(`${name} must be a number, not ${describe(v)}`);
  return v;
}
// Sizes and counts reach C++ as 32-bit integers: a string (NaN), 1.5 or 1e20
// would arrive as some other number (Queue('x') had maxsize -2147483648).
// `clamp`: into 0..2**31-1 instead (notify(n): n <= 0 wakes none, as in
// Python, and a huge n all).
function count(v, name, clamp) {
  if (!Number.isInteger(v)) throw new TypeError(`${name} must be an integer, not ${describe(v)}`);
  if (clamp) return v < 0 ? 0 : Math.min(v, 0x7fffffff);
  if (v > 0x7fffffff || v < -0x80000000) throw new ValueError(`${name} is out of range: ${v}`);
  return v;
}

/**
 * Suspend the current task for `delay` seconds, then resume it with
 * `result` (asyncio.sleep). `yield sleep(0)` lets the other ready tasks run.
 */
export function sleep(delay, result) {
  seconds(delay, 'delay');
  if (!(delay > 0) && result === undefined) return SLEEP0;
  return new Op(OP_SLEEP, 0, delay > 0 ? delay : 0, result, undefined);
}

/**
 * `async with lock:` for generators: acquire `primitive` (a Lock,
 * Semaphore, BoundedSemaphore or Condition), run the generator function
 * `body`, release even if it throws or the task is cancelled.
 *   const r = yield* withLock(lock, function* () { ...; return 1; });
 */
export function* withLock(primitive, body) {
  yield primitive.acquire();
  try {
    return yield* body();
  } finally {
    primitive.release();
  }
}

// Python-like ordering for PriorityQueue: arrays element by element. Values
// that cannot be compared (a Symbol) park the TypeError for the C++ side,
// which raises it: a JS exception cannot pass through C++ frames.
function lessOrError(A, a, b) {
  try {
    return less(a, b) ? 1 : 0;
  } catch (e) {
    A.slot = e;
    return 2;
  }
}

function less(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (less(a[i], b[i])) return true;
      if (less(b[i], a[i])) return false;
    }
    return a.length < b.length;
  }
  return a < b;
}

// A JS error's class and message, as the C++ reprs and the loop's reports
// show it (a JsError in C++): TypeError('bad value'). A thrown value that is
// not an Error is a JsError('<String(value)>').
function errorName(v) {
  try {
    return v instanceof Error ? String(v.name) : 'JsError';
  } catch {
    return 'JsError';
  }
}
function errorMessage(v) {
  try {
    return String(v instanceof Error ? v.message : v);
  } catch {
    return '<JS value>';
  }
}

// What a JS value reads as in this layer's error messages ("Error: boom").
function describe(v) {
  return v instanceof Error ? `${errorName(v)}: ${errorMessage(v)}` : errorMessage(v);
}

// Generator functions share one constructor. Checking the function rather
// than what it returned keeps createTask fast when every task has a fresh
// generator function (each has its own prototype object, which makes
// property checks on the generators it returns megamorphic).
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor;

function isGenerator(v) {
  return v !== null && typeof v === 'object' && typeof v.next === 'function' && typeof v.throw === 'function';
}

const NO_ERROR = Symbol('no error');
// new Task(WRAP, loop): a Task object for the package to fill in.
const WRAP = Symbol('wrap');

/**
 * A task factory starting every task eagerly (asyncio.eager_task_factory):
 * `loop.setTaskFactory(eagerTaskFactory)`. A task's first step then runs
 * inside createTask, and one that finishes without suspending is done when
 * createTask returns, never scheduled. createTask's `eagerStart: false`
 * still starts a task lazily.
 */
export function eagerTaskFactory(loop, coro, options) {
  return new loop._Task(coro, { ...options, loop, eagerStart: options?.eagerStart ?? true });
}

// ---- the runtime ------------------------------------------------------------

/**
 * Load the WebAssembly module and return a runtime: an event loop and the
 * asyncio API bound to it. Options: `clock` ('real' | 'virtual') of the
 * default loop, `wasmBinary` (bytes of aio.wasm, for environments without
 * file or URL access), `sliceBudget` (seconds a slice of the loop may run
 * before handing control back to JS; default 0.008), `threads` (see
 * useThreads).
 */
export async function createRuntime(options = {}) {
  const threads = useThreads(options.threads);
  const moduleOptions = {};
  if (options.wasmBinary) moduleOptions.wasmBinary = options.wasmBinary;
  // Node 20 has no global WebSocket: the host uses Module.WebSocket (e.g. the
  // npm `ws` package's class) when there is none.
  if (options.WebSocket) moduleOptions.WebSocket = options.WebSocket;
  // The threads module is imported only when used: the default one does not
  // grow, and a page that cannot have threads never downloads it.
  const create = threads ? (await import('./dist/aio-threads.mjs')).default : createAioModule;
  const M = await create(moduleOptions);
  // threads: true, or as asked (undefined: loadDemos() decides for the demos).
  const rt = makeRuntime(M, { ...options, threads: threads || options.threads });
  if (options.demos) await rt.loadDemos();
  return rt;
}

/**
 * Whether createRuntime loads the threads module (aio-threads.mjs, built
 * with -pthread: C++ run_in_executor and to_thread run on Web Workers).
 * Threads need SharedArrayBuffer, which a browser gives only to a
 * cross-origin isolated page (served with Cross-Origin-Opener-Policy:
 * same-origin and Cross-Origin-Embedder-Policy: require-corp).
 * `threads`: true requires them (Node, or an isolated page; otherwise a
 * RuntimeError saying why); false never; undefined (the default): the
 * runtime's own module stays the default one (JS functions cannot run on a
 * worker, so threads would only cost the JS API speed), and loadDemos() runs
 * the demos that need threads in the threads demos module where the page is
 * isolated.
 */
function threadsPossible() {
  const isNode = typeof process === 'object' && !!process.versions && !!process.versions.node;
  return typeof SharedArrayBuffer === 'function' && (isNode || globalThis.crossOriginIsolated === true);
}

function useThreads(threads) {
  if (threads === false || threads === undefined) return false;
  if (threads !== true) throw new ValueError(`threads must be true, false or undefined, not ${threads}`);
  if (!threadsPossible())
    throw new RuntimeError(
      'threads need a cross-origin isolated page (headers Cross-Origin-Opener-Policy: same-origin, ' +
        'Cross-Origin-Embedder-Policy: require-corp)');
  return true;
}

function makeRuntime(M, options) {
  const B = M; // the Embind functions are properties of the module
  const H = M.__toHandle; // a JS value -> an Embind handle the callee owns
  const A = { slot: undefined, op: undefined, num: 0, err: NO_ERROR, step, makeError, awaitThenable, errorName, errorMessage };
  A.less = (a, b) => lessOrError(A, a, b);
  M.__aio = A;

  // A binding that failed parked its JS error in A.err: throw it here.
  function check(r) {
    if (A.err !== NO_ERROR) {
      const e = A.err;
      A.err = NO_ERROR;
      throw e;
    }
    return r;
  }

  // The JS task whose generator is running right now.
  let current = undefined;
  // The JS task being created (spawn()): an eager start steps it before
  // the binding has returned its address.
  let creating = undefined;

  // Debug mode (asyncio's): the loops that have it on. Their JS tasks' steps
  // and the callbacks scheduled on them while it is on are timed, and those
  // that run slowCallbackDuration seconds or longer are reported with
  // console.warn, as asyncio logs them. In JS rather than by the C++ loop,
  // which could name neither a generator nor a JS function.
  let debugLoops = 0;
  function reportSlow(loop, what, t0) {
    const dt = (performance.now() - t0) / 1000;
    if (dt >= loop._slow) console.warn(`Executing ${what} took ${dt.toFixed(3)} seconds`);
  }
  function timed(loop, fn) {
    if (!loop || !loop._debug) return fn;
    return (...args) => {
      const t0 = performance.now();
      try {
        return fn(...args);
      } finally {
        reportSlow(loop, `<Handle ${fn.name || 'callback'}()>`, t0);
      }
    };
  }
  function timedStep(gen, mode, send, self) {
    const loop = self._loop && self._loop._debug ? self._loop : null;  // another loop may be the one in debug mode
    const t0 = loop ? performance.now() : 0;
    try {
      return mode === 0 ? gen.next(send) : gen.throw(send);
    } finally {
      if (loop) reportSlow(loop, String(self), t0);
    }
  }

  // This runtime's operations (all but sleep()'s, which need no module): one
  // yielded in a task of another runtime would hand its addresses to the
  // wrong wasm module (a lock's box read as anything: memory corrupted).
  class RtOp extends Op {}

  // One generator step for drive() (js_coroutine.cpp): advance `gen`, then
  // say what it yielded. Returns a StepKind, or a Future's/Task's address.
  // gen undefined: the task's own generator (self._gen).
  function step(gen, mode, send, self) {
    const prev = current;
    current = self;
    if (self === creating && !self._p) {
      // An eager first step (eagerStart): the task is the current one.
      const p = B.current_task();
      B.release(p);
      self._p = p;
    }
    const root = gen === undefined;
    if (root) gen = self._gen;
    let r;
    try {
      r = debugLoops ? timedStep(gen, mode, send, self) : mode === 0 ? gen.next(send) : gen.throw(send);
    } catch (e) {
      current = prev;
      if (root) self._gen = undefined;
      if (e instanceof CancelledError) {
        A.slot = e.message;
        return 2;
      }
      A.slot = e;
      return 1;
    }
    current = prev;
    // Nothing may throw out of here: a JS exception cannot pass through the
    // C++ frames below (a getter of r or v, say, is user code).
    try {
      const k = classify(r);
      if (k === 0 && root) self._gen = undefined;
      return k;
    } catch (e) {
      A.slot = e;
      return 6;
    }
  }

  function classify(r) {
    const v = r.value;
    if (r.done) {
      A.slot = v;
      return 0;
    }
    if (v === SLEEP0) return 3;  // the hot path of task switching: checked first
    if (v instanceof Future) {
      if (v._p) return v._p;
      A.slot = new InvalidStateError(`yielded a disposed ${v.constructor.name}`);
      return 6;
    }
    if (v instanceof Op) {
      if (v.code === OP_SLEEP) {  // awaited by drive() itself (js_coroutine.cpp)
        A.slot = v.value;
        A.num = v.num;
        return 8;
      }
      // The object an operation awaits (its target: a Lock, a Queue, a
      // Future for waitFor...) gives its address only now: disposed since
      // the operation was made, its box would be read after being freed.
      const o = v.target;
      if (!(v instanceof RtOp) || (o && !o._p) || (v.code === OP_WAIT && v.value.some((f) => !f._p))) {
        A.slot = new InvalidStateError('yielded an operation of another runtime or of a disposed object');
        return 6;
      }
      A.op = v;
      return 7;
    }
    if (v === undefined || v === null) return 3;
    if (typeof v.then === 'function') {
      A.slot = v;
      return 4;
    }
    if (isGenerator(v)) {
      A.slot = v;
      return 5;
    }
    A.slot = new TypeError(
      `yielded a ${typeof v}, which cannot be awaited: yield a Future, Task, Promise, generator or operation (sleep(), lock.acquire(), ...)`);
    return 6;
  }

  // A task awaits a thenable: settle the C++ future behind `wait` from its
  // callbacks (the C++ side wakes the loop). Once only: settle() gives back
  // JS's reference to `wait`, and a thenable that is not a Promise may call
  // both callbacks, one twice, or throw after calling one (a second settle()
  // wrote into freed memory).
  function awaitThenable(thenable, wait) {
    const once = (ok, v) => {
      if (wait) B.settle(wait, ok, v);
      wait = 0;
    };
    try {
      thenable.then((v) => once(true, v), (e) => once(false, e));
    } catch (e) {
      once(false, e);
    }
  }

  // ---- lifetime ---------------------------------------------------------------
  // JS objects own a reference to (or the box of) their C++ object, given back
  // by dispose() or, if the program forgets, when the object is collected.
  // The held value is a cell {p} that dispose() empties, rather than the
  // object being registered with itself as unregister token: a token costs
  // V8 a weak-table entry per object, which was about a fifth of what creating a
  // JS task cost in the spawn benchmark. The cleanup of an emptied cell does
  // nothing.
  const registries = new Map();
  function registry(free) {
    let reg = registries.get(free);
    if (!reg) {
      registries.set(free, (reg = new FinalizationRegistry((cell) => {
        if (cell.p) B[free](cell.p);
      })));
    }
    return reg;
  }
  // Futures and tasks, the common case, skip the map.
  const releaseRegistry = registry('release');
  function own(obj, p, free) {
    const cell = { p };
    obj._cell = cell;
    (free === 'release' ? releaseRegistry : registry(free)).register(obj, cell);
  }
  function disown(obj) {
    if (obj._cell) obj._cell.p = 0;
  }

  const loops = new Map(); // address -> EventLoop (loops live as long as the runtime)
  function loopFor(p) {
    return loops.get(p);
  }
  function runningLoop() {
    const l = loopFor(B.running_loop());
    if (!l) throw new RuntimeError('no running event loop');
    return l;
  }

  // ---- futures and tasks ----------------------------------------------------

  /** A result that will be available later (asyncio.Future). Thenable. */
  class Future {
    constructor(loop, p) {
      this._loop = loop;
      this._p = p;
      this._pr = null;
      this._cbs = null;
      // A JS task's generator, which the C++ side steps through the task
      // itself (one Embind handle per task instead of two); dropped when done.
      this._gen = undefined;
      this._coroName = undefined;  // a JS task's generator function, for getStack/toString
      this._cell = null;  // see own()
      if (p) own(this, p, 'release');
    }
    _ptr() {
      if (!this._p) throw new InvalidStateError(`${this.constructor.name} was disposed`);
      return this._p;
    }
    done() { return B.done(this._ptr()); }
    cancelled() { return B.cancelled(this._ptr()); }
    /** Cancel; returns false if already done. */
    cancel(msg) { return check(B.cancel(this._ptr(), msg === undefined ? undefined : String(msg))); }
    /** The result; throws CancelledError, InvalidStateError or the error it was given. */
    result() { return check(B.result(this._ptr())); }
    /** The error (null if it finished with a result); throws as result() does when cancelled or pending. */
    exception() { return check(B.exception(this._ptr())); }
    setResult(value) {
      check(B.set_result(this._ptr(), value));
    }
    setException(error) {
      check(B.set_exception(this._ptr(), error));
    }
    /** Call `fn(this)` (through the loop, like asyncio) once done. */
    addDoneCallback(fn) {
      callable(fn, 'add_done_callback');
      const f = timed(this._loop, fn);
      const id = check(B.add_done_callback(this._ptr(), () => f(this)));
      if (!this._cbs) this._cbs = new Map();
      const ids = this._cbs.get(fn);
      if (ids) ids.push(id);
      else this._cbs.set(fn, [id]);
    }
    /** Remove every registration of `fn`; returns how many. */
    removeDoneCallback(fn) {
      const ids = this._cbs && this._cbs.get(fn);
      if (!ids) return 0;
      this._cbs.delete(fn);
      let n = 0;
      for (const id of ids) n += B.remove_done_callback(this._ptr(), id);
      return n;
    }
    getLoop() { return this._loop; }
    _promise() {
      if (!this._pr) {
        this._pr = new Promise((resolve, reject) => {
          const settle = () => {
            try {
              resolve(this.result());
            } catch (e) {
              reject(e);
            }
          };
          if (B.done(this._ptr())) settle();
          else check(B.add_done_callback(this._p, settle));
        });
      }
      return this._pr;
    }
    then(onFulfilled, onRejected) { return this._promise().then(onFulfilled, onRejected); }
    catch(onRejected) { return this._promise().catch(onRejected); }
    finally(onFinally) { return this._promise().finally(onFinally); }
    /** Give the wasm memory back now (the object is unusable afterwards). */
    dispose() {
      if (!this._p) return;
      disown(this);
      B.release(this._p);
      this._p = 0;
    }
    toString() { return this._p ? B.describe(this._p).replace(/>$/, this._resultRepr()) : `<${this.constructor.name} disposed>`; }
    // " result=...>" for a future done with a result (the C++ repr has no
    // JS value to show), as asyncio's repr shows it; else ">".
    _resultRepr() {
      const shown = !this._foreign && this.done() && !this.cancelled() && this.exception() === null;
      return shown ? ` result=${shortRepr(this.result())}>` : '>';
    }
  }

  // A JS value in a future's repr, kept short as asyncio's reprlib.repr()
  // keeps it: a long string cut in the middle, six items of an array, four
  // keys of an object, nested ones elided.
  function shortRepr(v, nested) {
    try {
      if (typeof v === 'string') {
        const cut = v.length > 30 ? `${v.slice(0, 13)}...${v.slice(-14)}` : v;
        const q = cut.includes("'") && !cut.includes('"') ? '"' : "'";  // Python's choice of quotes
        return q + cut.replace(q === "'" ? /[\\']/g : /\\/g, '\\$&').replace(/\n/g, '\\n') + q;
      }
      if (typeof v === 'bigint') return `${v}n`;
      if (typeof v === 'function') return `[Function ${v.name || '(anonymous)'}]`;
      if (v === null || typeof v !== 'object') return String(v);
      if (v instanceof Future) return String(v);
      if (v instanceof Error) return `${v.name}(${v.message ? shortRepr(v.message) : ''})`;
      const array = Array.isArray(v);
      if (nested) return array ? '[...]' : '{...}';
      const [max, items] = array ? [6, v] : [4, Object.keys(v)];
      const shown = items.slice(0, max).map((x) => (array ? shortRepr(x, 1) : `${x}: ${shortRepr(v[x], 1)}`));
      if (items.length > max) shown.push('...');
      const cls = v.constructor && v.constructor !== Object && !array ? `${v.constructor.name} ` : '';
      return array ? `[${shown.join(', ')}]` : `${cls}{${shown.join(', ')}}`;
    } catch {
      return '<JS value>';
    }
  }

  /**
   * A running generator (asyncio.Task). Thenable, cancellable.
   * `new Task(coro, {loop, name, eagerStart})` schedules `coro` as
   * loop.createTask does, without calling the loop's task factory (as
   * asyncio.Task(coro, loop=...) in a factory). `loop`: default the running one.
   */
  class Task extends Future {
    constructor(coro, options = {}) {
      if (coro === WRAP) {
        super(options, 0);  // the package's own: new Task(WRAP, loop), no task yet
        return;
      }
      const loop = options.loop || runningLoop();
      if (!(loop instanceof EventLoop)) throw new TypeError(`loop must be an EventLoop of this runtime, not ${describe(loop)}`);
      super(loop, 0);
      spawn(this, 0, coro, options.name, options.eagerStart);
    }
    getName() { return B.task_get_name(this._ptr()); }
    setName(name) { B.task_set_name(this._ptr(), String(name)); }
    /** Number of pending cancellation requests. */
    cancelling() { return B.task_cancelling(this._ptr()); }
    /** Withdraw one cancellation request; returns the remaining count. */
    uncancel() { return B.task_uncancel(this._ptr()); }
    /**
     * Where the task is suspended, outermost first: for a JS task its
     * generator function (line 0: JS does not tell), then the C++
     * coroutines it awaits (wait_for_impl, Lock::acquire, ...).
     */
    getStack({ limit } = {}) {
      let frames = B.task_get_stack(this._ptr());
      if (!this._foreign) {
        frames = this.done() ? [] : [{ function: this._coroName || '<generator>', line: 0 },
          ...frames.filter((f) => !BINDING_FRAMES.has(f.function))];
      }
      // asyncio's limit: the newest frames.
      return limit == null ? frames : limit > 0 ? frames.slice(-limit) : [];
    }
    /**
     * asyncio's print_stack(): the awaits of a pending task, the error of a
     * failed one, through `print` (console.error, asyncio's stderr).
     */
    printStack({ limit, print = console.error } = {}) {
      let out;
      if (!this.done()) {
        out = [`Stack for ${this} (most recent call last):`,
          ...this.getStack({ limit }).map((f) => `  ${f.line ? `line ${f.line}, ` : ''}in ${f.function}`)];
      } else if (!this.cancelled() && this.exception() != null) {
        const e = this.exception();
        out = [`Traceback for ${this} (most recent call last):`, e instanceof Error && e.stack ? e.stack : describe(e)];
      } else {
        out = [`No stack for ${this}`];
      }
      print(out.join('\n'));
    }
    toString() {
      if (!this._p || this._foreign) return super.toString();
      // The C++ repr names the binding's coroutine: name the generator,
      // after the name as asyncio does.
      const [, head, tail] = B.describe(this._p).replace(/ at [^ ]+:\d+>$/, '>').match(/^(.*?)((?: exception=.*)?>)$/s);
      return `${head} coro=<${this._coroName || 'generator'}()>${tail === '>' ? this._resultRepr() : tail}`;
    }
    result() {
      if (this._foreign && this.done() && !this.cancelled() && this.exception() === null)
        throw new TypeError('the result of a C++ task is not a JS value');
      return super.result();
    }
    setResult() { throw new RuntimeError('Task does not support set_result operation'); }
    setException() { throw new RuntimeError('Task does not support set_exception operation'); }
  }

  // The binding's own coroutines (js_coroutine.cpp), hidden from getStack().
  const BINDING_FRAMES = new Set(['drive', 'run_small_op', 'op_wait', 'op_timeout', 'op_task_group', 'await_thenable']);

  // A C++ task (its result is not a JS value): own property on the few such
  // wrappers, so Future objects carry one field less.
  Future.prototype._foreign = false;

  function wrapTask(p, loop) {
    const t = new Task(WRAP, loop);
    t._p = p;
    own(t, p, 'release');
    t._foreign = true;
    return t;
  }

  // Start the JS task `t` (made with new Task(WRAP, ...)) running `coro`, on
  // its loop or, with `group` (an address), in that TaskGroup. `eager`:
  // createTask's eagerStart (undefined: as the loop's factory decides).
  function spawn(t, group, coro, name, eager) {
    const gen = toGenerator(coro);
    if (typeof coro === 'function' && coro.name) t._coroName = coro.name;
    t._gen = gen;
    const n = name === undefined ? 1 : H(String(name));
    const outer = creating;
    creating = t;
    const r = M._aio_create_task(group ? 0 : t._loop._ptr(), group, 1, H(t), n, eager ? 1 : 0);
    creating = outer;
    const p = check(r);
    t._p = p;
    if (group) t._loop = loopFor(B.loop_of_future(p));
    own(t, p, 'release');
    return t;
  }

  /** A callback scheduled with callSoon/callLater/callAt (asyncio.Handle). */
  class Handle {
    constructor(p, when) {
      this._p = p;
      this._when = when;
      own(this, p, 'handle_delete');
    }
    cancel() { if (this._p) B.handle_cancel(this._p); }
    // After dispose(), what it was then (a callback that ran was not cancelled).
    cancelled() { return this._p ? B.handle_cancelled(this._p) : this._c; }
    /** The loop time the callback is scheduled for (timer handles). */
    when() { return this._when; }
    dispose() {
      if (!this._p) return;
      disown(this);
      this._c = B.handle_cancelled(this._p);
      B.handle_delete(this._p);
      this._p = 0;
    }
  }

  // A generator for anything a task can run: a generator, a generator
  // function (called with no arguments), or any awaitable (a Promise, an
  // async function's result, an operation), awaited by a one-line generator.
  function toGenerator(coro) {
    if (typeof coro === 'function') {
      if (coro instanceof GeneratorFunction) return coro();
      coro = coro();
    }
    if (isGenerator(coro)) return coro;
    if (coro instanceof Op || coro instanceof Future || (coro && typeof coro.then === 'function'))
      return (function* awaitOne() { return yield coro; })();
    throw new TypeError('a task needs a generator, a generator function or an awaitable');
  }

  /** The event loop (asyncio's event loop), driven from the JS event loop. */
  class EventLoop {
    constructor({ clock = 'real', debug = false } = {}) {
      if (clock !== 'real' && clock !== 'virtual') throw new ValueError(`clock must be 'real' or 'virtual', not ${clock}`);
      this._p = B.loop_new(clock === 'virtual');
      this._factory = null;
      this._debug = false;
      this._slow = 0.1;
      loops.set(this._p, this);
      if (debug) this.setDebug(true);
    }
    // close() frees the loop (see there): a JS object still referring to it
    // raises as a closed loop would, instead of handing C++ the freed address.
    _ptr() {
      if (!this._p) throw new RuntimeError('Event loop is closed');
      return this._p;
    }
    /**
     * The loop's clock, in seconds (virtual: starts at 0 and jumps to the
     * next timer when idle). Works on a closed loop too, as in asyncio.
     */
    time() { return this._p ? B.loop_time(this._p) : this._t ?? B.loop_time(0); }
    callSoon(fn, ...args) {
      callable(fn, 'call_soon');
      fn = timed(this, fn);
      return new Handle(check(B.call_soon(this._ptr(), args.length ? () => fn(...args) : fn)), undefined);
    }
    callLater(delay, fn, ...args) {
      callable(fn, 'call_later');
      fn = timed(this, fn);
      const when = B.loop_time(this._ptr()) + seconds(delay, 'delay');
      return new Handle(check(B.call_later(this._ptr(), delay, args.length ? () => fn(...args) : fn)), when);
    }
    callAt(when, fn, ...args) {
      callable(fn, 'call_at');
      fn = timed(this, fn);
      seconds(when, 'when');
      return new Handle(check(B.call_at(this._ptr(), when, args.length ? () => fn(...args) : fn)), when);
    }
    createFuture() { return new Future(this, check(B.create_future(this._ptr()))); }
    /**
     * @internal For the package's tests: a C++ job on this loop's default
     * executor that blocks its thread for `seconds`; the future's result is
     * where it ran ('worker'). RuntimeError without threads.
     */
    _executorJob(seconds) {
      if (!B.executor_job) throw new RuntimeError('run_in_executor() needs the threads module: createRuntime({threads: true})');
      return new Future(this, check(B.executor_job(this._ptr(), seconds)));
    }
    /**
     * Schedule a generator (or generator function, or awaitable) as a task,
     * through the task factory if one is set. `eagerStart`: run its first
     * step now, before createTask returns, if the loop is running (asyncio's
     * eager_start=); default: as the task factory decides (no eager start
     * without one).
     */
    createTask(coro, options) {
      if (this._factory) return this._factory(this, coro, { ...options });
      return spawn(new Task(WRAP, this), 0, coro, options?.name, options?.eagerStart);
    }
    /**
     * `factory(loop, coro, options)` makes the loop's tasks from now on
     * (createTask, ensureFuture, run): it returns a Task, e.g. with
     * `new Task(coro, {...options, loop})`. null restores the default.
     * eagerTaskFactory starts every task eagerly.
     */
    setTaskFactory(factory) {
      if (factory != null) callable(factory, 'set_task_factory');
      this._factory = factory || null;
    }
    getTaskFactory() { return this._factory; }
    /**
     * Debug mode (asyncio's set_debug): the steps of this loop's JS tasks,
     * and the callbacks scheduled while it is on, that run for
     * slowCallbackDuration seconds (default 0.1) or longer are reported
     * with console.warn: "Executing <Task pending name='t' coro=<gen()>>
     * took 0.150 seconds". Also an option of EventLoop and run().
     */
    setDebug(enabled) {
      enabled = !!enabled;
      debugLoops += enabled - this._debug;
      this._debug = enabled;
    }
    getDebug() { return this._debug; }
    get slowCallbackDuration() { return this._slow; }
    set slowCallbackDuration(v) {
      if (seconds(v, 'slowCallbackDuration') < 0) throw new ValueError('slowCallbackDuration must be >= 0');
      this._slow = v;
    }
    /** Run the loop until `aw` is done; the Promise gives its result. */
    runUntilComplete(aw) {
      return new Promise((resolve, reject) => {
        try {
          const fut = ensureFuture(aw, this);
          check(B.run_until_complete(this._ptr(), fut._ptr(), (ok, v) => (ok ? resolve(v) : reject(v))));
        } catch (e) {
          reject(e);
        }
      });
    }
    /** Run the loop until stop(); the Promise settles when it stops. */
    runForever() {
      return new Promise((resolve, reject) => {
        try {
          check(B.run_forever(this._ptr(), (ok, v) => (ok ? resolve(v) : reject(v))));
        } catch (e) {
          reject(e);
        }
      });
    }
    /** runUntilComplete(createTask(main)). */
    run(main) { return this.runUntilComplete(this.createTask(main)); }
    stop() { if (this._p) B.loop_stop(this._p); }
    /**
     * Close the loop and free its wasm memory, unless a task of it is still
     * pending (asyncio.run() cancels them first). Closed, it raises
     * RuntimeError where it would schedule anything; time() still works.
     */
    close() {
      const p = this._p;
      if (!p) return;
      check(B.loop_close(p));
      B.sweep_tasks();
      const t = B.loop_virtual(p) ? B.loop_time(p) : undefined;
      if (B.loop_delete(p)) {
        loops.delete(p);
        this._p = 0;
        this._t = t;
      }
    }
    isRunning() { return !!this._p && B.loop_is_running(this._p); }
    isClosed() { return !this._p || B.loop_is_closed(this._p); }
    /**
     * `fn(event)` gets each of the loop's trace events as it happens:
     * {time (s), kind ('task_created', 'task_suspended', 'timer_fired', ...),
     * id, name, detail}; null stops tracing.
     */
    setTracer(fn) { B.loop_set_tracer(this._ptr(), fn ? (_ok, ev) => fn(ev) : null); }
    /** Seconds a slice may run callbacks before control goes back to JS. */
    setSliceBudget(seconds) { check(B.loop_set_slice_budget(this._ptr(), seconds)); }
    /**
     * `handler(loop, context)` gets what the loop reports (a callback that
     * threw, a task exception never retrieved, ...): context has `message`,
     * `exception` and, where they apply, `task`, `future`, `handle`
     * (descriptions). null restores the default (print to stderr).
     */
    setExceptionHandler(handler) {
      B.loop_set_exception_handler(this._ptr(), handler ? (_ok, ctx) => handler(this, ctx) : null);
    }
    /** The pending tasks of this loop. */
    allTasks() { return allTasks(this); }
  }

  // For eagerTaskFactory, which is the package's (the same for every runtime).
  EventLoop.prototype._Task = Task;

  // asyncio.ensure_future: a Future or Task as it is, anything else as a task.
  function ensureFuture(aw, loop) {
    if (aw instanceof Future) return aw;
    return (loop || runningLoop()).createTask(aw);
  }

  function loopOfArgs(futs) {
    const p = B.running_loop();
    if (p) return loopFor(p);
    if (futs.length) return futs[0]._loop;
    throw new RuntimeError('no running event loop');
  }

  /** The task running now, or null (asyncio.current_task). */
  function currentTask() {
    const p = B.current_task();
    if (!p) return null;
    if (current && current._p === p) {
      B.release(p);
      return current;
    }
    // A C++ task (a demo's, say): its result is not a JS value.
    return wrapTask(p, loopFor(B.running_loop()));
  }

  /** The pending tasks of `loop` (default: the running loop). */
  function allTasks(loop) {
    loop = loop || runningLoop();
    return B.all_tasks(loop._ptr()).map(([p, t]) => {
      if (t) {
        B.release(p);
        return t;
      }
      return wrapTask(p, loop);
    });
  }

  /** Run `main` as a task on the running loop (asyncio.create_task). */
  function createTask(coro, options) {
    return runningLoop().createTask(coro, options);
  }

  function isOptions(v) {
    return v !== null && typeof v === 'object' && !(v instanceof Future) && !(v instanceof Op) &&
      typeof v.then !== 'function' && !isGenerator(v) && !Array.isArray(v);
  }

  /**
   * Run awaitables concurrently; a Future of the array of their results
   * (asyncio.gather). Last argument may be `{returnExceptions: true}`.
   */
  function gather(...aws) {
    let returnExceptions = false;
    if (aws.length && isOptions(aws[aws.length - 1])) returnExceptions = !!aws.pop().returnExceptions;
    let loop = null;
    const first = aws.find((a) => a instanceof Future);
    const p = B.running_loop();
    loop = p ? loopFor(p) : first ? first._loop : null;
    if (!loop) throw new RuntimeError('no running event loop');
    const futs = aws.map((a) => ensureFuture(a, loop));
    return new Future(loop, check(B.gather(loop._ptr(), futs.map((f) => f._ptr()), returnExceptions)));
  }

  /** Await `aw` with a time limit in seconds (asyncio.wait_for); TimeoutError when it passes. */
  function waitFor(aw, timeout) {
    const t = seconds(timeout, 'timeout', 1);  // checked at the call, as asyncio checks it
    // asyncio's wait_for is a coroutine: nothing runs until it is awaited,
    // whether a loop runs at the call or not (loop.runUntilComplete(waitFor(
    // coro, 1)) before any loop runs). A generator here, which makes the
    // task of `aw` once yielded; a Future is waited for as it is.
    const op = (f) => new RtOp(OP_WAIT_FOR, f, t, f, undefined);
    return aw instanceof Future ? op(aw) : (function* waitFor_() { return yield op(ensureFuture(aw)); })();
  }

  // wait() and asCompleted() take any iterable (a Set, say), as asyncio does,
  // but not one awaitable: Array.from(future) would be [], and of a
  // generator would run it.
  function listOf(aws) {
    if (aws == null || typeof aws[Symbol.iterator] !== 'function' || aws instanceof Future || isGenerator(aws))
      throw new TypeError(`expect an iterable of futures, not ${aws}`);
    return Array.from(aws);
  }

  /** Wait for futures/tasks; gives [done, pending] (asyncio.wait). */
  function wait(aws, { timeout, returnWhen = 'ALL_COMPLETED' } = {}) {
    const list = listOf(aws);
    for (const f of list) {
      if (!(f instanceof Future))
        throw new TypeError('Passing coroutines is forbidden, use tasks explicitly.');
    }
    const rw = { ALL_COMPLETED: 0, FIRST_COMPLETED: 1, FIRST_EXCEPTION: 2 }[returnWhen];
    if (rw === undefined) throw new ValueError(`Invalid return_when value: ${returnWhen}`);
    return new RtOp(OP_WAIT, 0, seconds(timeout, 'timeout', 1), list, rw);
  }

  /** Protect `aw` from the cancellation of whoever awaits the result (asyncio.shield). */
  function shield(aw) {
    const f = ensureFuture(aw);
    return new Future(f._loop, check(B.shield(f._ptr())));
  }

  /**
   * The awaitables in completion order (asyncio.as_completed), in both of
   * Python 3.13's forms. An array of generators, each to be yielded for the
   * next result (`for (const next of asCompleted(aws)) r = yield next`);
   * and `next()`, which gives the next future itself, done, or null once all
   * were given (`async for f in as_completed(aws)`):
   *   const completed = asCompleted(tasks);
   *   for (let t; (t = yield completed.next()) !== null;) t.result();
   * or, in an async function, `for await (const t of asCompleted(tasks))`.
   * The futures given are handed back themselves; a coroutine's is its task.
   * TimeoutError after `timeout` seconds for each one not yet complete.
   */
  function asCompleted(aws, { timeout } = {}) {
    seconds(timeout, 'timeout', 1);
    aws = listOf(aws);
    const loop = loopOfArgs(aws.filter((a) => a instanceof Future));
    const todo = new Set(Array.from(new Set(aws), (a) => ensureFuture(a, loop)));
    const done = new Queue();
    let timeoutHandle = null;
    const onCompletion = (f) => {
      if (!todo.size) return;
      todo.delete(f);
      done.putNowait(f);
      if (!todo.size && timeoutHandle) timeoutHandle.cancel();
    };
    const onTimeout = () => {
      for (const f of todo) {
        f.removeDoneCallback(onCompletion);
        done.putNowait(null);
      }
      todo.clear();
    };
    for (const f of todo) f.addDoneCallback(onCompletion);
    if (todo.size && timeout != null) timeoutHandle = loop.callLater(timeout, onTimeout);
    // Both forms take from one count, as asyncio's iterator does: N in all.
    let left = todo.size;
    function* waitForOne(resolve) {
      const f = yield done.get();
      if (f === null) throw new TimeoutError();
      return resolve ? f.result() : f;
    }
    const out = [];
    for (let i = 0; i < todo.size; i++) {
      out.push((function* nextResult() {
        // The array's items are made up front (asyncio makes them as it
        // iterates): one started after next() took the last would wait forever.
        if (!left) throw new RuntimeError('asCompleted: next() already gave every future');
        left--;
        return yield* waitForOne(true);
      })());
    }
    out.next = function* next() {
      if (!left) return null;
      left--;
      return yield* waitForOne(false);
    };
    // The step is made in the generator: a promise resolved with a future
    // would resolve with the future's result instead (futures are thenables).
    out[Symbol.asyncIterator] = () => ({
      next: () => Promise.resolve(loop.createTask((function* step() {
        const f = yield* out.next();
        return f === null ? { done: true, value: undefined } : { done: false, value: f };
      })())),
    });
    return out;
  }

  /**
   * `async with asyncio.timeout(delay) as cm:` — run the generator function
   * `body(cm)` in the current task; TimeoutError if it is still running
   * after `delay` seconds (null: no deadline until cm.reschedule()).
   */
  function timeout(delay, body) {
    return new RtOp(OP_TIMEOUT, 0, seconds(delay, 'delay', 1), toScopeBody(body), undefined);
  }
  /** As timeout(), with a deadline on the loop's clock (loop.time()). */
  function timeoutAt(when, body) {
    return new RtOp(OP_TIMEOUT_AT, 0, seconds(when, 'when', 1), toScopeBody(body), undefined);
  }
  // A generator function is called by the C++ side with the scope (it runs
  // when the operation is awaited); a generator is run as it is.
  function toScopeBody(body) {
    if (typeof body === 'function' || isGenerator(body)) return body;
    throw new TypeError('the body must be a generator function');
  }
  function toBody(body, arg) {
    const g = typeof body === 'function' ? body(arg) : body;
    if (!isGenerator(g)) throw new TypeError('the body must be a generator function');
    return g;
  }

  /** The scope of a running timeout() body (asyncio.Timeout). */
  class TimeoutScope {
    constructor(p) { this._p = p; }
    _ptr() {
      if (!this._p) throw new RuntimeError('the timeout scope has exited');
      return this._p;
    }
    /** The deadline on the loop's clock, or null. */
    when() {
      const w = B.timeout_when(this._ptr());
      return Number.isNaN(w) ? null : w;
    }
    /** Move the deadline (null: none). */
    reschedule(when) { check(B.timeout_reschedule(this._ptr(), seconds(when, 'when', 1))); }
    /** True once the deadline has fired. */
    expired() { return this._p ? B.timeout_expired(this._p) : this._expired; }
  }
  A.timeoutScope = (p) => new TimeoutScope(p);
  // The generator of a scope's body; what the body function throws comes out
  // of the generator instead (nothing may throw into the C++ caller).
  A.startBody = (body, arg) => {
    try {
      return toBody(body, arg);
    } catch (e) {
      return (function* failed() { throw e; })();
    }
  };

  // ---- primitives ---------------------------------------------------------------

  class Boxed {
    constructor(p, free) {
      this._p = p;
      this._free = free;
      own(this, p, free);
    }
    _ptr() {
      if (!this._p) throw new InvalidStateError(`${this.constructor.name} was disposed`);
      return this._p;
    }
    /** Give the wasm memory back now (tasks waiting on it keep it alive until they resume). */
    dispose() {
      if (!this._p) return;
      disown(this);
      B[this._free](this._p);
      this._p = 0;
    }
    // The C++ repr (lock_describe for lock_delete, ...) where there is one;
    // disposed, a repr that says so (String() of it threw, as a Future's does not).
    toString() {
      const d = B[this._free.replace('delete', 'describe')];
      return !this._p ? `<${this.constructor.name} disposed>` : d ? d(this._p) : super.toString();
    }
  }

  /** A mutual-exclusion lock (asyncio.Lock): `yield lock.acquire()`, `lock.release()`. */
  class Lock extends Boxed {
    constructor() { super(B.lock_new(), 'lock_delete'); }
    acquire() { return new RtOp(OP_LOCK_ACQUIRE, this, 0, this, undefined); }
    release() { check(B.lock_release(this._ptr())); }
    locked() { return B.lock_locked(this._ptr()); }
  }

  /** A flag tasks wait for (asyncio.Event). */
  class Event extends Boxed {
    constructor() { super(B.event_new(), 'event_delete'); }
    wait() { return new RtOp(OP_EVENT_WAIT, this, 0, this, undefined); }
    set() { check(B.event_set(this._ptr())); }
    clear() { B.event_clear(this._ptr()); }
    isSet() { return B.event_is_set(this._ptr()); }
  }

  /** A counting semaphore (asyncio.Semaphore). */
  class Semaphore extends Boxed {
    constructor(value = 1) { super(check(B.semaphore_new(count(value, 'value'), new.target === BoundedSemaphore)), 'semaphore_delete'); }
    acquire() { return new RtOp(OP_SEM_ACQUIRE, this, 0, this, undefined); }
    release() { check(B.semaphore_release(this._ptr())); }
    locked() { return B.semaphore_locked(this._ptr()); }
  }
  /** A semaphore that refuses release() above its initial value (asyncio.BoundedSemaphore). */
  class BoundedSemaphore extends Semaphore {}

  /** A condition variable (asyncio.Condition), over its own lock or `lock`. */
  class Condition extends Boxed {
    constructor(lock) {
      // Its box is read as a Lock's: anything else (another runtime's Lock
      // too) would be read as one.
      if (lock != null && !(lock instanceof Lock)) throw new TypeError('lock must be a Lock of this runtime');
      super(B.condition_new(lock ? lock._ptr() : 0), 'condition_delete');
    }
    acquire() { return new RtOp(OP_COND_ACQUIRE, this, 0, this, undefined); }
    release() { check(B.condition_release(this._ptr())); }
    locked() { return B.condition_locked(this._ptr()); }
    /** Release the lock, wait for notify(), re-acquire; `yield cond.wait()`. */
    wait() { return new RtOp(OP_COND_WAIT, this, 0, this, undefined); }
    /** Wait until predicate() is truthy: `yield* cond.waitFor(() => ready)`. */
    *waitFor(predicate) {
      let r = predicate();
      while (!r) {
        yield this.wait();
        r = predicate();
      }
      return r;
    }
    notify(n = 1) { check(B.condition_notify(this._ptr(), count(n, 'n', 1))); }
    notifyAll() { check(B.condition_notify_all(this._ptr())); }
  }

  /** A cyclic barrier for `parties` tasks (asyncio.Barrier). */
  class Barrier extends Boxed {
    constructor(parties) { super(check(B.barrier_new(count(parties, 'parties'))), 'barrier_delete'); }
    /** `const index = yield barrier.wait()`. */
    wait() { return new RtOp(OP_BARRIER_WAIT, this, 0, this, undefined); }
    reset() { return new RtOp(OP_BARRIER_RESET, this, 0, this, undefined); }
    abort() { return new RtOp(OP_BARRIER_ABORT, this, 0, this, undefined); }
    get parties() { return B.barrier_parties(this._ptr()); }
    get nWaiting() { return B.barrier_n_waiting(this._ptr()); }
    get broken() { return B.barrier_broken(this._ptr()); }
  }

  /** A FIFO queue of JS values (asyncio.Queue); maxsize 0: unbounded. */
  class Queue extends Boxed {
    constructor(maxsize = 0) { super(B.queue_new(count(maxsize, 'maxsize'), new.target._kind || 0), 'queue_delete'); }
    /** `yield q.put(item)`: waits while the queue is full. */
    put(item) { return new RtOp(OP_QUEUE_PUT, this, 0, item, this); }
    /** `const item = yield q.get()`: waits while the queue is empty. */
    get() { return new RtOp(OP_QUEUE_GET, this, 0, this, undefined); }
    /** `yield q.join()`: waits until every item got its taskDone(). */
    join() { return new RtOp(OP_QUEUE_JOIN, this, 0, this, undefined); }
    putNowait(item) { check(B.queue_put_nowait(this._ptr(), item)); }
    getNowait() { return check(B.queue_get_nowait(this._ptr())); }
    taskDone() { check(B.queue_task_done(this._ptr())); }
    shutdown(immediate = false) { check(B.queue_shutdown(this._ptr(), immediate)); }
    qsize() { return B.queue_qsize(this._ptr()); }
    get maxsize() { return B.queue_maxsize(this._ptr()); }
    empty() { return B.queue_empty(this._ptr()); }
    full() { return B.queue_full(this._ptr()); }
    isShutdown() { return B.queue_is_shutdown(this._ptr()); }
  }
  /** A last-in first-out queue (asyncio.LifoQueue). */
  class LifoQueue extends Queue {}
  LifoQueue._kind = 1;
  /** Smallest item first (asyncio.PriorityQueue); `[priority, data]` pairs compare like Python tuples. */
  class PriorityQueue extends Queue {}
  PriorityQueue._kind = 2;

  /**
   * Structured concurrency (asyncio.TaskGroup):
   *   yield new TaskGroup().run(function* (tg) { tg.createTask(a()); tg.createTask(b()); });
   * run() returns once the body and every task of the group are done; the
   * first failure cancels the rest and raises an ExceptionGroup.
   */
  class TaskGroup extends Boxed {
    constructor() { super(B.taskgroup_new(), 'taskgroup_delete'); }
    /**
     * A task of the group, which starts it itself: the loop's task factory
     * is not called, but under eagerTaskFactory the task starts eagerly
     * unless `eagerStart` is false.
     */
    createTask(coro, options) {
      let eager = options?.eagerStart;
      if (eager == null && loopFor(B.running_loop())?._factory === eagerTaskFactory) eager = true;
      return spawn(new Task(WRAP, null), this._ptr(), coro, options?.name, eager);
    }
    /** The `async with` block: `yield tg.run(function* (tg) {...})`. */
    run(body) { return new RtOp(OP_TASK_GROUP, this, 0, toBody(body, this), this); }
  }
  /** `yield taskGroup(function* (tg) {...})`: run() on a new TaskGroup. */
  function taskGroup(body) {
    return new TaskGroup().run(body);
  }


  // ---- fetch and WebSocket ----------------------------------------------------
  // The browser host's I/O sources (runtime/hosts/web): cancelling the task
  // that awaits one aborts the request (an AbortController) or the
  // connection attempt.

  /** Response headers: case-insensitive get/has, and the fields in order. */
  class Headers {
    constructor(fields) { this._fields = fields; }
    get(name) {
      const n = String(name).toLowerCase();
      const f = this._fields.find(([k]) => k.toLowerCase() === n);
      return f ? f[1] : null;
    }
    has(name) { return this.get(name) !== null; }
    entries() { return this._fields.map(([k, v]) => [k, v]); }
    [Symbol.iterator]() { return this.entries()[Symbol.iterator](); }
  }

  /**
   * An HTTP response: status and headers at once, the body on demand (once).
   * `type`: JS Response.type ('basic', 'cors', 'opaque', 'opaqueredirect':
   * redirect 'manual' in a browser, status 0). `_signal`: the fetch's
   * AbortSignal. Once it aborts, body reads fail with its reason, as JS
   * fetch() errors the body stream with it (the op's `extra`:
   * bind_web_io.cpp swaps the FetchError for the reason).
   */
  class Response extends Boxed {
    constructor(r) {
      super(r.box, 'response_delete');
      this.status = r.status;
      this.statusText = r.statusText;
      this.url = r.url;
      this.redirected = r.redirected;
      this.type = r.type;
      this.headers = new Headers(r.headers);
      this._signal = r.signal;
    }
    get ok() { return this.status >= 200 && this.status <= 299; }
    /** `const s = yield r.text()`: the body as text. */
    text() { return new RtOp(OP_RESPONSE_TEXT, this, 0, this, this._signal); }
    /** `const u8 = yield r.bytes()`: the body as a Uint8Array. */
    bytes() { return new RtOp(OP_RESPONSE_BYTES, this, 0, this, this._signal); }
    /** `const v = yield r.json()`. */
    *json() { return JSON.parse(yield this.text()); }
    /** The body as a stream: `let c; while ((c = yield reader.read()) !== null) ...`. */
    body() { return new BodyReader(check(B.response_body(this._ptr())), this._signal); }
  }

  /** Reads a response body chunk by chunk, with backpressure. */
  class BodyReader extends Boxed {
    constructor(p, signal) {
      super(p, 'reader_delete');
      this._signal = signal;
    }
    /** `yield reader.read()`: the next chunk (a Uint8Array), or null at the end. */
    read() { return new RtOp(OP_READER_READ, this, 0, this, this._signal); }
  }

  // A string, or the bytes of an ArrayBuffer or of any view of one, as JS's
  // WebSocket.send() and fetch() take them. C++ made `new Uint8Array(v)` of
  // any v: a Uint16Array's elements cut to a byte each, a DataView empty, and
  // n zero bytes of a number n.
  function payload(v, what) {
    if (typeof v === 'string' || v instanceof ArrayBuffer) return v;
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    throw new TypeError(`${what} a string or bytes (an ArrayBuffer or a view), not ${describe(v)}`);
  }

  // fetch()'s headers as [[name, value], ...], read as JS fetch() reads them:
  // an iterable (an array, a Headers, a Map) gives [name, value] pairs, any
  // other object its own properties; values become strings. A number or a
  // string (whose characters became headers), or a pair of another length
  // (filled with "undefined"), is a TypeError as in JS fetch().
  function headerFields(h) {
    if (typeof h !== 'object') {
      throw new TypeError('fetch() headers must be an object of names to values, or an iterable (an array, a ' +
        `Headers, a Map) of [name, value] pairs, not ${describe(h)}`);
    }
    if (!(Symbol.iterator in h)) return Object.entries(h).map(([k, v]) => [k, String(v)]);
    return Array.from(h, (p) => {
      if (p == null || typeof p !== 'object' || !(Symbol.iterator in p) || (p = Array.from(p)).length !== 2)
        throw new TypeError(`fetch() headers: each pair must be [name, value], not ${describe(p)}`);
      return [String(p[0]), String(p[1])];
    });
  }

  // AbortSignal by brand, not instanceof: another realm's (an iframe's) is
  // not an instance of ours, and Object.create(AbortSignal.prototype) is not
  // a signal. The getter throws for anything but a real one, of any realm.
  const signalAborted = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted').get;
  const isSignal = (s) => {
    try {
      signalAborted.call(s);
      return true;
    } catch {
      return false;
    }
  };

  // The Fetch standard's RequestInit members. JS fetch() ignores any other
  // key; here it is a TypeError at the call, because a misspelt option
  // ({redirects: 'manual'}, {referer: ...}) would otherwise change what is
  // sent without a word. A member the standard adds later needs adding here.
  const REQUEST_INIT = ['method', 'headers', 'body', 'signal', 'redirect', 'credentials', 'mode', 'cache',
    'referrer', 'referrerPolicy', 'integrity', 'keepalive', 'priority', 'duplex', 'window'];

  /**
   * `const r = yield fetch(url, {method, headers, body, signal, redirect, ...})`
   * (asyncio-style: yield it from a task). An HTTP error status is a
   * Response; a request with no response raises FetchError. Cancelling the
   * task aborts the request. Time limits: waitFor() or timeout(). Options
   * are checked at the call, before anything is sent, where JS fetch()
   * would reject later: of the wrong type, a TypeError (unlike JS fetch(), a
   * method or a body is not made a string of whatever it is), and the
   * values JS checks (an unknown redirect or mode, a header name that is
   * not a token, a body with GET) by a Request made from them, JS's own
   * TypeError. null or undefined: the default. `signal`: aborting it before
   * the body is read to the end aborts the request at once, even while the
   * body waits unread, and the fetch and every body read then fail with its
   * reason, as in JS fetch(); it is not listened to once the body is done or
   * the Response disposed.
   */
  function fetch(url, init) {
    if (init != null && typeof init !== 'object') throw new TypeError(`fetch() options must be an object, not ${describe(init)}`);
    const o = {};
    for (const k in init) {
      if (!REQUEST_INIT.includes(k)) throw new TypeError(`fetch() has no option ${k}: the options are ${REQUEST_INIT.join(', ')}`);
      if (init[k] != null) o[k] = init[k];
    }
    const { method, headers, body, signal } = o;
    // C++ ignored a method that was not a string: {method: 5} sent a GET.
    if (method !== undefined && typeof method !== 'string') throw new TypeError(`fetch() method must be a string, not ${describe(method)}`);
    if (headers !== undefined) o.headers = headerFields(headers);
    if (body !== undefined) o.body = payload(body, 'fetch() body must be');
    if (signal !== undefined && !isSignal(signal)) throw new TypeError(`fetch() signal must be an AbortSignal, not ${describe(signal)}`);
    // The placeholder URL keeps a bad URL what it is in JS fetch(), a
    // failed fetch (FetchError); '' stands for the body (no copy). No
    // signal: a Request would keep a listener on it until collected.
    new Request('http://localhost/', { ...o, body: body === undefined ? null : '', signal: null });
    return new RtOp(OP_FETCH, 0, 0, String(url), o);
  }

  /**
   * A WebSocket client: `const ws = yield WebSocket.connect(url)`, then
   * `ws.send(textOrBytes)`, `const m = yield ws.receive()` (a string or a
   * Uint8Array), `yield ws.close(code, reason)`. Messages arriving while
   * nobody receives are queued (ws.queued()).
   */
  class WebSocket extends Boxed {
    constructor(p) { super(p, 'websocket_delete'); }
    /** `yield WebSocket.connect(url, protocols?)`: the open connection. */
    static connect(url, protocols) {
      return new RtOp(OP_WS_CONNECT, 0, 0, String(url), protocols ? Array.from(protocols, String) : undefined);
    }
    send(data) { check(B.websocket_send(this._ptr(), payload(data, 'send() takes'))); }
    /** `const m = yield ws.receive()`; ConnectionClosedOK/Error once closed and drained. */
    receive() { return new RtOp(OP_WS_RECEIVE, this, 0, this, undefined); }
    /**
     * `async for m in ws`, as C++'s messages(): next() gives a message, or
     * null once the connection closed cleanly; an abnormal close still
     * raises ConnectionClosedError (the `websockets` library's rules).
     *   const messages = ws.messages();
     *   for (let m; (m = yield messages.next()) !== null;) handle(m);
     */
    messages() {
      const ws = this;
      return {
        *next() {
          try {
            return yield ws.receive();
          } catch (e) {
            if (e instanceof ConnectionClosedOK) return null;
            throw e;
          }
        },
      };
    }
    /** Start the closing handshake and wait until closed: `yield ws.close(1000, 'bye')`. */
    close(code = 1000, reason = '') { return new RtOp(OP_WS_CLOSE, this, count(code, 'code'), String(reason), this); }
    waitClosed() { return new RtOp(OP_WS_WAIT_CLOSED, this, 0, this, undefined); }
    /** Messages received and not yet taken by receive(). */
    queued() { return B.websocket_queued(this._ptr()); }
    /** Bytes given to send() not yet sent. */
    bufferedAmount() { return B.websocket_buffered_amount(this._ptr()); }
  }
  // What bind_web_io.cpp calls to turn its results into these classes.
  A.wrapResponse = (r) => new Response(r);
  A.wrapWebSocket = (p) => new WebSocket(p);

  // ---- asyncio.run ----------------------------------------------------------------

  /**
   * Run `main` on a new event loop until it is done, then cancel what is
   * left and close the loop (asyncio.run). `clock`: 'real' or 'virtual'.
   */
  async function run(main, { clock = 'real', debug = false } = {}) {
    const loop = new EventLoop({ clock, debug });
    try {
      return await loop.run(main);
    } finally {
      const left = allTasks(loop);
      if (left.length) {
        for (const t of left) t.cancel();
        await loop.runUntilComplete(gather(...left, { returnExceptions: true })).catch(() => {});
      }
      // Frees it (a few hundred bytes of wasm heap per run): futures and
      // tasks of it that JS still holds outlive it (the C++ side's loop
      // anchor), as in asyncio.
      loop.close();
    }
  }

  const loop = new EventLoop({ clock: options.clock || 'real' });
  if (options.sliceBudget !== undefined) loop.setSliceBudget(options.sliceBudget);

  // The demo runner (demos.js) is imported on first use, as the demos' wasm
  // modules are: programs that never run a demo do not download it.
  let demosLoading = null;
  function loadDemos() {
    return (demosLoading ??= import('./demos.js').then(async (d) => (runtime.demos =
      await d.loadDemos(options, { threadsPossible, makeError, describe }))));
  }

  const runtime = {
    loop, EventLoop, Future, Task, Handle, run, sleep, gather, wait, waitFor, shield, asCompleted, timeout,
    timeoutAt, TaskGroup, taskGroup, Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier, Queue,
    LifoQueue, PriorityQueue, withLock, currentTask, allTasks, createTask, ensureFuture, eagerTaskFactory, fetch,
    WebSocket,
    /** The demo programs (null until loadDemos(), or createRuntime({demos: true})). */
    demos: null,
    /** Load the demos' module (aio-demos.wasm, about 480 KB) once; resolves to runtime.demos. */
    loadDemos,
    /**
     * Whether this runtime's module has threads (createRuntime's `threads`):
     * C++ run_in_executor and to_thread then run on Web Workers; without,
     * they raise RuntimeError saying why.
     */
    hasThreads: !!options.threads,
    getRunningLoop: runningLoop,
    /** Heap statistics: `heapUsed` (bytes malloc'ed in wasm), `emvalHandles` (JS values held by C++). */
    memory() {
      return { heapUsed: B.heap_used(), emvalHandles: M.count_emval_handles(), heapSize: M.HEAP8.length };
    },
    _module: M,
  };
  return runtime;
}
