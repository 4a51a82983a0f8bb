// Runs a demo in the page or, when it cannot hand control back to the page,
// in a Web Worker.
//
// A demo written as a coroutine (style "main") runs on the page's own event
// loop through the browser host: the loop runs in short slices between the
// page's other work, so the page stays responsive whatever the demo does.
// A demo that drives its loop itself (style "program": the tutorials'
// loop.run_until_complete(...)) makes blocking calls; on the virtual clock
// they finish at once (time jumps), but on the real clock they would freeze
// the page for the whole run, so those go to a worker, where blocking is
// allowed (it sleeps with Atomics.wait when the page is cross-origin
// isolated).

/**
 * @returns {{done: Promise<{status: 'finished'|'failed'|'cancelled', error?: string}>, cancel(): void}}
 */
export function runDemo(runtime, demo, { params, clock, speed, onOutput, onError, onTrace }) {
  if (demo.style === 'program' && clock === 'real') return runInWorker(demo, { params, onOutput, onError, onTrace });
  return runtime.demos.run(demo.name, params, { clock, speed, onOutput, onError, onTrace });
}

function runInWorker(demo, { params, onOutput, onError, onTrace }) {
  const worker = new Worker(new URL('./demo-worker.js', import.meta.url), { type: 'module' });
  let settle;
  const done = new Promise((resolve) => { settle = resolve; });
  worker.onmessage = ({ data }) => {
    switch (data.type) {
      case 'output': return onOutput(data.line);
      case 'error': return onError(data.line);
      case 'trace': return data.lines.forEach(onTrace);
      case 'done':
        worker.terminate();
        return settle(data.result);
      default:
    }
  };
  worker.onerror = (e) => {
    worker.terminate();
    onError(e.message || 'the demo worker failed');
    settle({ status: 'failed', error: e.message });
  };
  worker.postMessage({ name: demo.name, params });
  return {
    done,
    cancel() {
      // A blocking program cannot be interrupted from outside: stop its worker.
      worker.terminate();
      settle({ status: 'cancelled' });
    },
  };
}
