// The event loop from JS: callback order, timers, handles, the virtual
// clock, and run/stop/close as real state changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { unlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRuntime, RuntimeError } from 'aio-asyncio';

const rt = await createRuntime();

test('callSoon runs callbacks in FIFO order, with arguments, one iteration later', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const seen = [];
  loop.callSoon(() => seen.push(1));
  loop.callSoon((a, b) => seen.push(a + b), 1, 1);
  loop.callSoon(() => {
    seen.push(3);
    loop.callSoon(() => seen.push(5));  // scheduled during a run: after 4
  });
  loop.callSoon(() => seen.push(4));
  loop.callSoon(() => loop.callSoon(() => loop.stop()));
  await loop.runForever();
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  loop.close();
});

test('timers fire in time order, ties in scheduling order; callAt uses loop time', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const seen = [];
  const h1 = loop.callLater(0.3, () => seen.push(['c', loop.time()]));
  loop.callLater(0.1, () => seen.push(['a', loop.time()]));
  loop.callAt(0.1, () => seen.push(['b', loop.time()]));
  loop.callLater(0.5, () => loop.stop());
  assert.equal(h1.when(), 0.3);
  await loop.runForever();
  assert.deepEqual(seen, [['a', 0.1], ['b', 0.1], ['c', 0.3]]);
  assert.equal(loop.time(), 0.5);
  loop.close();
});

test('a cancelled handle never runs', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const seen = [];
  const h = loop.callSoon(() => seen.push('soon'));
  const t = loop.callLater(1, () => seen.push('later'));
  h.cancel();
  t.cancel();
  assert.ok(h.cancelled() && t.cancelled());
  loop.callLater(2, () => loop.stop());
  await loop.runForever();
  assert.deepEqual(seen, []);
  loop.close();
});

test('the virtual clock makes an hour-long sleep instant', async () => {
  const started = performance.now();
  const t = await rt.run(function* () {
    yield rt.sleep(3600);
    return rt.getRunningLoop().time();
  }, { clock: 'virtual' });
  assert.equal(t, 3600);
  assert.ok(performance.now() - started < 1000);
});

test('the real clock really waits', async () => {
  const started = performance.now();
  await rt.run(function* () { yield rt.sleep(0.05); });
  assert.ok(performance.now() - started >= 45);
});

test('runForever, stop, isRunning, isClosed are real state changes', async () => {
  const loop = new rt.EventLoop();
  assert.equal(loop.isRunning(), false);
  const done = loop.runForever();
  assert.equal(loop.isRunning(), true);
  // The JS event loop is not blocked while the aio loop runs.
  await new Promise((r) => setTimeout(r, 10));
  assert.throws(() => loop.close(), RuntimeError);
  await assert.rejects(loop.runForever(), RuntimeError);
  loop.stop();
  await done;
  assert.equal(loop.isRunning(), false);
  loop.close();
  assert.equal(loop.isClosed(), true);
  assert.throws(() => loop.callSoon(() => {}), RuntimeError);
});

test('callSoon from JS while the loop idles wakes it', async () => {
  const loop = new rt.EventLoop();
  const done = loop.runForever();
  const seen = [];
  await new Promise((r) => setTimeout(r, 5));
  loop.callSoon(() => { seen.push('woken'); loop.stop(); });
  await done;
  assert.deepEqual(seen, ['woken']);
  loop.close();
});

test('runUntilComplete resolves with the future result set by a timer', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const fut = loop.createFuture();
  loop.callLater(5, () => fut.setResult({ answer: 42 }));
  const v = await loop.runUntilComplete(fut);
  assert.deepEqual(v, { answer: 42 });
  assert.equal(loop.time(), 5);
  loop.close();
});

test('a callback that throws goes to the exception handler and the loop goes on', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const seen = [];
  const boom = new Error('boom');
  loop.setExceptionHandler((l, ctx) => seen.push([l === loop, ctx.exception, ctx.message]));
  loop.callSoon(() => { throw boom; });
  loop.callSoon(() => { seen.push('next'); loop.stop(); });
  await loop.runForever();
  assert.equal(seen.length, 2);
  assert.equal(seen[0][0], true);
  assert.equal(seen[0][1], boom);  // the very object thrown
  assert.match(seen[0][2], /Exception in callback/);
  assert.equal(seen[1], 'next');
  loop.close();
});

test('an exception handler that throws is reported once, with the report it failed on', () => {
  // As asyncio's call_exception_handler; the handler's error used to vanish.
  // A child process, because the report goes to stderr.
  const file = fileURLToPath(new URL('.raising_handler.mjs', import.meta.url));
  writeFileSync(file, `import { createRuntime } from 'aio-asyncio';
const rt = await createRuntime();
const loop = new rt.EventLoop({ clock: 'virtual' });
loop.setExceptionHandler(() => { throw new TypeError('handler broke'); });
loop.callSoon(() => { throw new RangeError('first'); });
loop.callSoon(() => { console.log('the loop goes on'); loop.stop(); });
await loop.runForever();
loop.close();
`);
  try {
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'the loop goes on\n');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines[0], 'Unhandled error in exception handler');
    // The JS error by its own class, as Python's repr() of it reads.
    assert.match(lines[1], /^context: \{'message': 'Exception in callback .*', 'exception': RangeError\('first'\)/);
    assert.match(lines.at(-1), /TypeError: handler broke/);
    assert.equal(r.stderr.match(/Exception in callback/g).length, 1);
  } finally {
    unlinkSync(file);
  }
});

test("rt.run()'s loop, freed after the run, still acts as a closed loop", async () => {
  let loop, task, fut, handle;
  await rt.run(function* () {
    loop = rt.getRunningLoop();
    task = rt.currentTask();
    fut = loop.createFuture();  // left pending
    handle = loop.callLater(10, () => {});
    yield rt.sleep(2);
  }, { clock: 'virtual' });
  assert.equal(loop.isClosed(), true);
  assert.equal(loop.isRunning(), false);
  loop.close();  // again: nothing to do, as in asyncio
  loop.stop();
  const closed = { name: 'RuntimeError', message: /Event loop is closed/ };
  assert.throws(() => loop.callSoon(() => {}), closed);
  assert.throws(() => loop.callLater(1, () => {}), closed);
  assert.throws(() => loop.createFuture(), closed);
  assert.throws(() => loop.createTask(function* () {}), closed);
  assert.equal(loop.time(), 2);  // asyncio's loop.time() works on a closed loop
  assert.throws(() => loop.allTasks(), closed);
  await assert.rejects(loop.runUntilComplete(fut), closed);
  await assert.rejects(loop.runForever(), closed);
  // Its futures, tasks and handles outlive it, as in asyncio: state reads
  // work, what needs the loop raises.
  assert.equal(task.done(), true);
  assert.equal(fut.done(), false);
  assert.equal(fut.getLoop(), loop);
  handle.cancel();
  assert.equal(handle.cancelled(), true);
  fut.cancel();
  assert.equal(fut.cancelled(), true);
  // A done future's callback would be scheduled on the loop.
  assert.throws(() => fut.addDoneCallback(() => {}), closed);
});

test('a disposed Handle keeps what cancelled() said: false for a callback that ran', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  let ran = 0;
  const h = loop.callSoon(() => ran++);
  const c = loop.callLater(1, () => ran++);
  c.cancel();
  await loop.runUntilComplete(loop.createTask(function* () { yield rt.sleep(2); }));
  assert.equal(ran, 1);
  h.dispose();
  c.dispose();
  assert.equal(h.cancelled(), false);
  assert.equal(c.cancelled(), true);
  loop.close();
});

// close() freed nothing (test_memory.mjs checks the memory): a loop it now
// frees must still act as a closed loop.
test('a loop made with new EventLoop(), closed, acts as a closed loop; time() still works', async () => {
  const cycle = async (clock) => {
    const loop = new rt.EventLoop({ clock });
    await loop.run(function* () { yield rt.sleep(0.001); });
    loop.close();
    return loop;
  };
  const v = await cycle('virtual');
  assert.equal(v.isClosed(), true);
  assert.equal(v.isRunning(), false);
  assert.equal(v.time(), 0.001);
  assert.throws(() => v.callSoon(() => {}), { name: 'RuntimeError', message: /Event loop is closed/ });
  await assert.rejects(v.runUntilComplete(rt.sleep(0)), { name: 'RuntimeError' });
  v.close();  // again: nothing to do
  const r = await cycle('real');
  const t0 = r.time();
  await new Promise((res) => setTimeout(res, 20));
  assert.ok(r.time() >= t0 + 0.015, 'a closed real-clock loop keeps its clock');
  assert.ok(Math.abs(r.time() - rt.loop.time()) < 0.01, 'the same clock as the other loops');
});

// A closed loop with a task still pending keeps its memory (the task may
// still refer to it) and acts as a closed loop. Cancelling that task
// schedules its wake-up on the closed loop: RuntimeError, as in asyncio (it
// was an opaque WebAssembly.Exception).
test('close() with a pending task: a closed loop; cancelling the task raises RuntimeError', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const t = loop.createTask(function* () { yield rt.sleep(1); });
  await loop.runUntilComplete(rt.sleep(0));
  loop.close();
  assert.equal(loop.isClosed(), true);
  assert.equal(loop.time(), 0);
  assert.equal(t.done(), false);
  assert.throws(() => t.cancel(), { name: 'RuntimeError', message: /Event loop is closed/ });
});

test('debug mode reports slow task steps and callbacks by name, as asyncio logs them', async () => {
  const warned = [];
  const warn = console.warn;
  console.warn = (line) => warned.push(line);
  const busy = (ms) => {
    const t = performance.now();
    while (performance.now() - t < ms);
  };
  try {
    let loop;
    await rt.run(function* main() {
      loop = rt.getRunningLoop();
      assert.equal(loop.getDebug(), true);
      assert.equal(loop.slowCallbackDuration, 0.1);
      assert.throws(() => { loop.slowCallbackDuration = -1; }, /slowCallbackDuration must be >= 0/);
      loop.slowCallbackDuration = 0.05;
      loop.callSoon(function slowCallback() { busy(80); });
      loop.callSoon(() => {});  // quick: not reported
      const t = rt.createTask(function* slowpoke() {
        yield rt.sleep(0);
        busy(80);
        yield rt.sleep(0);
      }, { name: 'slowpoke' });
      t.addDoneCallback(function slowDone() { busy(80); });
      yield t;
      yield rt.sleep(0);
      loop.setDebug(false);
      loop.callSoon(function notTimed() { busy(80); });
      yield rt.sleep(0);
    }, { debug: true });
    assert.equal(warned.length, 3, warned.join('\n'));
    assert.match(warned[0], /^Executing <Handle slowCallback\(\)> took \d+\.\d{3} seconds$/);
    assert.match(warned[1], /^Executing <Task pending name='slowpoke' coro=<slowpoke\(\)>> took \d+\.\d{3} seconds$/);
    assert.match(warned[2], /^Executing <Handle slowDone\(\)> took \d+\.\d{3} seconds$/);
    // Off by default.
    const plain = new rt.EventLoop();
    assert.equal(plain.getDebug(), false);
    plain.close();
  } finally {
    console.warn = warn;
  }
});
