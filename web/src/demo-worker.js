// A demo that drives its own loop, run on the real clock off the page's main
// thread (see demo-runner.js). Output and trace lines are posted as they
// come; trace lines in batches, since a demo may trace thousands per second.
import { createRuntime } from 'aio-asyncio';

self.onmessage = async ({ data }) => {
  let batch = [];
  const flush = () => {
    if (batch.length) self.postMessage({ type: 'trace', lines: batch });
    batch = [];
  };
  try {
    const runtime = await createRuntime();
    const run = runtime.demos.run(data.name, data.params, {
      clock: 'real',
      onOutput: (line) => { flush(); self.postMessage({ type: 'output', line }); },
      onError: (line) => { flush(); self.postMessage({ type: 'error', line }); },
      onTrace: (line) => { batch.push(line); if (batch.length >= 256) flush(); },
    });
    const result = await run.done;
    flush();
    self.postMessage({ type: 'done', result });
  } catch (e) {
    flush();
    self.postMessage({ type: 'error', line: String(e?.message ?? e) });
    self.postMessage({ type: 'done', result: { status: 'failed', error: String(e?.message ?? e) } });
  }
};
