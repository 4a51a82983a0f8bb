// Runs a demo of the runtime's demos module on the page's own event loop
// (the browser host runs the loop in short slices, so the page stays
// responsive whatever the demo does) and adapts the npm API's run handle to
// what the gallery shows: a status, Cancel, and Cancel per task.
//
// A demo that drives its loop itself (loop.run_until_complete: a "program")
// cannot hand control back mid-call; on the real clock the runtime runs it
// on the virtual clock and plays its lines back at the times they were
// printed (see runtime/demos/include/aio/demos/run_async.hpp).

const STATUS = { 0: 'finished', 1: 'failed', 2: 'failed', 130: 'cancelled' };

/**
 * @returns {{done: Promise<{status: 'finished'|'failed'|'cancelled', code: number}>,
 *            cancel(): void, cancelTask(id: number): boolean}}
 */
export function runDemo(runtime, demo, { params, clock, speed, onOutput, onError, onTrace, onTraceBytes }) {
  const run = runtime.demos.run(demo.name, params, {
    clock,
    speed: clock === 'virtual' ? speed : 0,
    // The page does work per trace event after each slice (timeline, parity
    // digest), several times what the loop spent making the event: short
    // slices keep slice and work well under a frame (0.25 ms: a few hundred
    // events, a few ms of work, in the 100,000-task demo).
    sliceBudget: 0.00025,
    onOutput,
    onError,
    onTrace,
    onTraceBytes,
  });
  return {
    done: Promise.resolve(run).then((code) => ({ status: STATUS[code] ?? 'failed', code })),
    cancel: () => run.cancel(),
    cancelTask: (id) => run.cancelTask(id),
  };
}
