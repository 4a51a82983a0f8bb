// aio-asyncio's demo runner: what runtime.loadDemos() needs and nothing else
// does. index.js imports this file only when the demos are asked for, as it
// does their wasm modules, so that the default module (aio.wasm + aio.mjs +
// index.js) stays within its size budget (tests/node/test_size.mjs) for the
// programs that never run a demo. tools/package.mjs minifies it into
// dist/demos.js, beside dist/index.js.
// `lib`: what it shares with index.js, passed in rather than imported (an
// import of './index.js' back from here would be a cycle, and helpers that
// index.js does not export would have to become public).

const NO_ERROR = Symbol('no error');

/**
 * Load the demos' module(s) for a runtime (see loadDemos() in index.js):
 * `options` are createRuntime's; resolves to the demos object.
 */
export async function loadDemos(options, lib) {
  const { threadsPossible } = lib;
  const moduleOptions = {};
  if (options.demosWasmBinary) moduleOptions.wasmBinary = options.demosWasmBinary;
  if (options.threads) {
    // The runtime has threads: every demo runs in the threads module.
    const { default: create } = await import('./dist/aio-demos-threads.mjs');
    return makeDemos(await create(moduleOptions), true, lib);
  }
  const { default: create } = await import('./dist/aio-demos.mjs');
  const plain = makeDemos(await create(moduleOptions), false, lib);
  // A page where threads are possible (cross-origin isolated) runs
  // the demos that need them (the "threads" group) in the threads
  // module, and every other one in the default module as before:
  // the threads build is slower (JS exceptions, see the top-level
  // CMakeLists.txt) and its memory is shared, which WebSocket.send
  // and fetch bodies refuse.
  const isNode = typeof process === 'object' && !!process.versions && !!process.versions.node;
  return options.threads === undefined && !isNode && threadsPossible()
    ? withThreadsDemos(plain, makeDemos(await (await import('./dist/aio-demos-threads.mjs')).default(), true, lib))
    : plain;
}

// Demos from two modules: the default one, and for the demos only the
// threads module has (the "threads" group), the threads one.
function withThreadsDemos(plain, threaded) {
  const have = new Set(plain.list().map((d) => d.name));
  const extra = threaded.list().filter((d) => !have.has(d.name));
  const names = new Set(extra.map((d) => d.name));
  return {
    ...plain,
    hasThreads: true,
    list() { return [...plain.list(), ...extra]; },
    run(name, ...rest) { return (names.has(String(name)) ? threaded : plain).run(name, ...rest); },
  };
}

// The demo programs of the native CLI (runtime/demos), in a module of their
// own: run on the browser host without blocking (aio::demos::
// run_demo_async), with the same output, and on the virtual clock the same
// trace, as `aio run DEMO --clock virtual --trace`.
// The demos' trace arrives in batches of JSON lines (see bind_demos.cpp), as
// a view of their UTF-8 in the module's memory; each line becomes one
// onTrace(event) call.
let utf8Decoder = null;

/** The lines of a batch: strings of V8's own (see bind_demos.cpp for why). */
function batchLines(bytes) {
  if (typeof bytes === 'string') return bytes.split('\n');
  const lines = [];
  const n = bytes.length;
  let start = 0;
  let ascii = true;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? bytes[i] : 10;
    if (c === 10) {
      const line = bytes.subarray(start, i);
      if (ascii) {
        lines.push(String.fromCharCode.apply(null, line));
      } else {
        // slice(): TextDecoder takes no views of shared memory.
        utf8Decoder ??= new TextDecoder();
        lines.push(utf8Decoder.decode(line.slice()));
      }
      start = i + 1;
      ascii = true;
    } else if (c >= 0x80) {
      ascii = false;
    }
  }
  return lines;
}

function traceBatch(onTrace, onTraceBytes) {
  return (_ok, batch) => {
    if (onTraceBytes) {
      try {
        onTraceBytes(batch);
      } catch (err) {
        queueMicrotask(() => { throw err; });
      }
    }
    if (!onTrace) return;
    // All lines first: the view is only valid until wasm runs again (onTrace
    // may call into the module, whose memory may then grow).
    for (const line of batchLines(batch)) {
      // The parsed record itself becomes the event (one object per event,
      // not two: a run can trace millions).
      const e = JSON.parse(line);
      e.time = e.t / 1e6;
      e.line = line;
      try {
        onTrace(e);
      } catch (err) {
        // Reported as an uncaught error, as an event listener's would be,
        // without stopping the demo or losing the rest of the batch.
        queueMicrotask(() => { throw err; });
      }
    }
  };
}

function makeDemos(D, hasThreads, { makeError, describe }) {
  const A = { err: NO_ERROR, makeError, describe };
  D.__aio = A;
  const check = (r) => {
    if (A.err !== NO_ERROR) {
      const e = A.err;
      A.err = NO_ERROR;
      throw e;
    }
    return r;
  };
  return {
    /** Whether the demos that need threads (the "threads" group) are in list() and run. */
    hasThreads: !!hasThreads,
    /** The demos: [{name, title, group, summary, scenario, params: [{name, kind, default, help}]}]. */
    list() { return D.demos_list(); },
    /**
     * Start a demo; returns a run: a thenable of its exit status (0 ok, 1 it
     * raised, 2 bad name or parameter, 130 cancelled) with cancel().
     * `params`: {name: value}; options: onOutput(line), onError(line),
     * onTrace(event: {time, kind, id, name, detail, line}: `line` is the
     * event as `aio run --trace-format jsonl` writes it), onTraceBytes(bytes:
     * the same lines as UTF-8, a batch at a time, joined by '\n' with none
     * after the last; a view valid during the call only: copy what you keep;
     * for hashing the trace without encoding each line), clock ('virtual' by
     * default, or 'real'), timestamps (prefix lines with the loop time),
     * speed (virtual clock: 0 jumps at once, 1 lets virtual time pass at
     * real speed, 10 ten times faster), sliceBudget (seconds the loop may
     * run before control goes back to JS; 0: the host's 8 ms; lower it when
     * onTrace does work per event, so slice and work stay short).
     */
    run(name, params = {}, { onOutput, onError, onTrace, onTraceBytes, clock = 'virtual', timestamps = false, speed = 0, sliceBudget = 0 } = {}) {
      if (clock !== 'real' && clock !== 'virtual') throw makeError('ValueError', `clock must be 'real' or 'virtual', not ${clock}`);
      let p = 0;
      let finished = false;
      let settle;
      const status = new Promise((resolve) => { settle = resolve; });
      const wrap = (fn) => (fn ? (_ok, v) => fn(v) : undefined);
      p = check(D.demos_run(String(name), params || {}, {
        onOutput: wrap(onOutput), onError: wrap(onError), onTrace: onTrace || onTraceBytes ? traceBatch(onTrace, onTraceBytes) : undefined,
        onDone: (_ok, code) => {
          finished = true;
          if (p) D.demos_release(p);
          p = 0;
          settle(code);
        },
      }, clock === 'virtual', !!timestamps, Number(speed), Number(sliceBudget)));
      if (finished) p = 0;  // over already (a bad name): released in onDone
      return {
        /** Stop the demo as Ctrl-C stops asyncio.run() (its exit status is then 130). */
        cancel() { if (p) D.demos_cancel(p); },
        /**
         * Cancel one pending task of the demo by its id (trace events' `id`,
         * N of Task-N) or, for a task the demo named (id 0 in the trace), by
         * its name; false if there is none.
         */
        cancelTask(idOrName) {
          if (!p) return false;
          return typeof idOrName === 'string' ? D.demos_cancel_task_named(p, idOrName) : D.demos_cancel_task(p, Number(idOrName));
        },
        done() { return finished; },
        then(onFulfilled, onRejected) { return status.then(onFulfilled, onRejected); },
      };
    },
  };
}
