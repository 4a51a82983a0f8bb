// Threads: createRuntime({threads: true}) loads the threads modules
// (aio-threads.mjs, aio-demos-threads.mjs, built with -pthread), where C++
// run_in_executor and to_thread run jobs on Web Workers (Node:
// worker_threads) while the loop keeps running; the default module raises
// RuntimeError saying why instead of running the job inline. (In a browser,
// a cross-origin isolated page runs the threads demos in the threads demos
// module by default: tests/e2e/gallery.spec.js.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRuntime, RuntimeError } from 'aio-asyncio';

test('the default module has no threads', async () => {
  const rt = await createRuntime();
  assert.equal(rt.hasThreads, false);
  await rt.run(function* () {
    assert.throws(() => rt.getRunningLoop()._executorJob(0), (e) => e instanceof RuntimeError && /threads module/.test(e.message));
  });
});

test('in Node, threads only when asked for', async () => {
  const rt = await createRuntime({ threads: false });
  assert.equal(rt.hasThreads, false);
  await assert.rejects(createRuntime({ threads: 'yes' }), /threads must be true, false or undefined/);
});

const rt = await createRuntime({ threads: true, demos: true });

test('the threads module: a blocking job runs on a worker while the loop keeps running', async () => {
  assert.equal(rt.hasThreads, true);
  assert.equal(rt.demos.hasThreads, true);
  const r = await rt.run(function* () {
    let ticks = 0;
    const ticker = rt.createTask(function* () {
      for (;;) {
        yield rt.sleep(0.01);
        ++ticks;
      }
    });
    const t0 = performance.now();
    // Each job blocks its thread for 0.3 s (two workers: about 0.3 s for both
    // on an idle machine).
    const [a, b] = yield rt.gather(rt.getRunningLoop()._executorJob(0.3), rt.getRunningLoop()._executorJob(0.3));
    const ms = performance.now() - t0;
    ticker.cancel();
    return { a, b, ms, ticks };
  });
  assert.equal(r.a, 'worker');
  assert.equal(r.b, 'worker');
  assert.ok(r.ms >= 290 && r.ms < 3000, `took ${r.ms} ms`);
  // The loop ran its 10 ms timers meanwhile (about 30; a loaded machine fewer).
  assert.ok(r.ticks >= 10, `the loop ticked ${r.ticks} times while the job ran`);
});

test('cancelling the awaiting task leaves the job to finish; the loop closes without blocking', async () => {
  const r = await rt.run(function* () {
    const job = rt.getRunningLoop()._executorJob(0.2);
    yield rt.sleep(0.05);
    job.cancel();  // running already: asyncio cannot stop it either
    return job.cancelled();
  });
  assert.equal(r, true);
});

test('a job on the virtual clock: time does not jump while it runs', async () => {
  const r = await rt.run(function* () {
    const loop = rt.getRunningLoop();
    const where = yield loop._executorJob(0.1);
    return { where, time: loop.time() };
  }, { clock: 'virtual' });
  assert.equal(r.where, 'worker');
  assert.equal(r.time, 0);
});

// The demos of the "threads" group (run_in_executor, run_coroutine_threadsafe)
// are in the threads module's list and print what the native CLI prints.
const expected = {
  'run-in-executor': ['default thread pool 00010203040506070809', 'custom thread pool 00010203040506070809',
    'custom thread pool cpu_bound 333283335000'],
  'executor-default': ['isfuture True', 'default thread pool defaulf pool'],
  'threadsafe': ['等待计算结果', 'calculate start 1 loop-thread', 'calculate end 1', 'main thread got 300 300',
    'calculate start 2 loop-thread', 'calculate end 2', 'main thread got 600 600', 'loop thread joined; loop time 6.000'],
};

for (const [name, lines] of Object.entries(expected)) {
  test(`the ${name} demo runs in the threads module`, async () => {
    assert.ok(rt.demos.list().some((d) => d.name === name && d.group === 'threads'));
    const out = [], errors = [];
    const status = await rt.demos.run(name, {}, { onOutput: (l) => out.push(l), onError: (l) => errors.push(l) });
    assert.deepEqual(errors, []);
    assert.equal(status, 0);
    assert.deepEqual(out, lines);
  });
}

// C++ exceptions caught in C++ (CancelledError around a co_await, TimeoutError
// from wait_for): the threads module uses JS exceptions, since wasm
// exceptions never match a catch under -pthread with this toolchain (see the
// top-level CMakeLists.txt). Both modules print the same.
test('exceptions are caught in the threads module as in the default one', async () => {
  const plain = await createRuntime({ demos: true });
  for (const name of ['shield', 'wait-for-timeout', 'cancel-task', 'timeout']) {
    const outs = [];
    for (const r of [plain, rt]) {
      const out = [];
      const status = await r.demos.run(name, {}, { onOutput: (l) => out.push(l), onError: (l) => out.push(`error: ${l}`) });
      outs.push({ status, out });
    }
    assert.deepEqual(outs[1], outs[0], name);
  }
  // An error raised in C++ reaches JS as the asyncio error it is.
  await rt.run(function* () {
    const f = rt.getRunningLoop().createFuture();
    f.cancel();
    assert.throws(() => f.result(), (e) => e.name === 'CancelledError');
  });
});

// run_in_executor's own RuntimeError in a build without threads is checked
// by the wasm unit tests (tests/unit/hosts/test_manual_host.cpp).
test('the default module lists no threads demos and names the reason', async () => {
  const plain = await createRuntime({ demos: true });  // Node: threads only when asked for
  assert.equal(plain.hasThreads, false);
  assert.equal(plain.demos.hasThreads, false);
  assert.ok(!plain.demos.list().some((d) => d.group === 'threads'));
  const errors = [];
  assert.equal(await plain.demos.run('run-in-executor', {}, { onError: (l) => errors.push(l) }), 2);
  assert.match(errors[0], /needs threads/);
});
