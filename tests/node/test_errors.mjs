// Errors crossing the boundary: asyncio-named Error subclasses from C++,
// JS values keeping their identity through C++ futures and tasks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createRuntime, CancelledError, InvalidStateError, TimeoutError, RuntimeError, ValueError, QueueEmpty,
  QueueFull, QueueShutDown, BrokenBarrierError, BaseExceptionGroup, ExceptionGroup,
} from 'aio-asyncio';

const rt = await createRuntime();
const { sleep } = rt;
const vrun = (main) => rt.run(main, { clock: 'virtual' });

test('error classes are Errors with asyncio names', () => {
  for (const [cls, name] of [[CancelledError, 'CancelledError'], [InvalidStateError, 'InvalidStateError'],
    [TimeoutError, 'TimeoutError'], [RuntimeError, 'RuntimeError'], [ValueError, 'ValueError'],
    [QueueEmpty, 'QueueEmpty'], [QueueFull, 'QueueFull'], [QueueShutDown, 'QueueShutDown'],
    [BrokenBarrierError, 'BrokenBarrierError']]) {
    const e = new cls('m');
    assert.ok(e instanceof Error);
    assert.equal(e.name, name);
    assert.equal(String(e), `${name}: m`);
  }
  const g = new ExceptionGroup('several', [new Error('a')]);
  assert.ok(g instanceof BaseExceptionGroup);
  assert.equal(g.exceptions.length, 1);
});

test('a JS error thrown in a task reaches its awaiters as the same object', async () => {
  class MyError extends Error {}
  const mine = new MyError('mine');
  const seen = [];
  await vrun(function* () {
    const t = rt.createTask(function* () { yield sleep(1); throw mine; });
    try { yield t; } catch (e) { seen.push(e); }
    seen.push(t.exception());
    try { t.result(); } catch (e) { seen.push(e); }
  });
  assert.deepEqual(seen.map((e) => e === mine), [true, true, true]);
  // ... and through the thenable interface, from plain async code.
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const t = loop.createTask(function* () { throw mine; });
  await assert.rejects(loop.runUntilComplete(t), (e) => e === mine);
  await assert.rejects(t.then(), (e) => e === mine);
  loop.close();
});

test('non-Error values thrown in JS keep their identity too', async () => {
  const thrown = { code: 42 };
  await assert.rejects(vrun(function* () { yield sleep(0); throw thrown; }), (e) => e === thrown);
  await assert.rejects(vrun(function* () { throw 'a string'; }), (e) => e === 'a string');
});

test('C++ errors arrive as asyncio-named classes with asyncio messages', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const f = loop.createFuture();
  assert.throws(() => f.result(), (e) => e instanceof InvalidStateError && e.message === 'Result is not set.' &&
    /await it/.test(e.hint));
  f.setResult(1);
  assert.throws(() => f.setResult(2), (e) => e instanceof InvalidStateError && e.message === 'invalid state');
  const c = loop.createFuture();
  c.cancel('why');
  assert.throws(() => c.result(), (e) => e instanceof CancelledError && e.message === 'why');
  loop.close();
  assert.throws(() => loop.createFuture(), (e) => e instanceof RuntimeError && /^Event loop is closed/.test(e.message));
  assert.throws(() => new rt.Semaphore(-1), (e) => e instanceof ValueError);
  assert.throws(() => rt.createTask(function* () {}), (e) => e instanceof RuntimeError && /no running event loop/.test(e.message));
});

test('TaskGroup errors come as an ExceptionGroup holding the JS errors themselves', async () => {
  const e1 = new Error('one'), e2 = new TypeError('two');
  await assert.rejects(vrun(function* () {
    yield rt.taskGroup(function* (tg) {
      tg.createTask(function* () { yield sleep(1); throw e1; });
      tg.createTask(function* () { yield sleep(1); throw e2; });
    });
  }), (e) => e instanceof ExceptionGroup && e.exceptions.length === 2 && e.exceptions[0] === e1 && e.exceptions[1] === e2 &&
    /unhandled errors in a TaskGroup/.test(e.message));
});

test('an error thrown back into the generator can be caught and the task goes on', async () => {
  const r = await vrun(function* () {
    const f = rt.getRunningLoop().createFuture();
    rt.getRunningLoop().callLater(1, () => f.setException(new RangeError('later')));
    try {
      yield f;
    } catch (e) {
      assert.ok(e instanceof RangeError);
    }
    yield sleep(1);
    return 'recovered';
  });
  assert.equal(r, 'recovered');
});

test('a disposed future cannot be used or yielded', async () => {
  await vrun(function* () {
    const f = rt.getRunningLoop().createFuture();
    f.dispose();
    assert.throws(() => f.done(), InvalidStateError);
    let err;
    try { yield f; } catch (e) { err = e; }
    assert.ok(err instanceof InvalidStateError);
  });
});

test('a Task refuses setResult/setException', async () => {
  await vrun(function* () {
    const t = rt.createTask(function* () {});
    assert.throws(() => t.setResult(1), RuntimeError);
    assert.throws(() => t.setException(new Error()), RuntimeError);
    yield t;
  });
});

test('errors raised by JS while C++ runs come back as JS errors, never through C++ frames', async () => {
  const r = await vrun(function* () {
    const bad = { get then() { throw new SyntaxError('bad getter'); } };
    let caught;
    try {
      yield bad;
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof SyntaxError);
    const pq = new rt.PriorityQueue();
    pq.putNowait(1);
    assert.throws(() => pq.putNowait(Symbol('x')), TypeError);
    return 'survived';
  });
  assert.equal(r, 'survived');
});

test('a gather() cancelled by its awaiter reports nothing once the CancelledError was caught', async () => {
  // The Future JS holds mirrors asyncio's gathering future; that one ends
  // with the CancelledError too, and was reported as "Future exception was
  // never retrieved" although JS had retrieved it from the mirror.
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const reports = [];
  loop.setExceptionHandler((_loop, ctx) => reports.push(ctx.message));
  const r = await loop.run(function* () {
    const g = rt.gather(sleep(1, 'a'), sleep(2, 'b'));
    yield sleep(0.5);
    g.cancel('stop');
    let err;
    try { yield g; } catch (e) { err = e; }
    yield sleep(1);
    return err instanceof CancelledError && err.message;
  });
  assert.equal(r, 'stop');
  loop.close();
  assert.deepEqual(reports, []);
});

test("another runtime's objects are refused, not read in the wrong wasm memory", async () => {
  // Each runtime is a wasm module of its own. An operation carries the
  // address of its lock or queue: yielded in a task of another runtime it
  // was read in that module's memory ("null function or function signature
  // mismatch", or worse). A Condition read any boxed object as its Lock.
  const other = await createRuntime();
  const lock = new other.Lock();
  const q = new other.Queue();
  q.putNowait(1);
  const r = await vrun(function* () {
    const seen = [];
    for (const op of [lock.acquire(), q.get(), new other.TaskGroup().run(function* () {})]) {
      try {
        yield op;
      } catch (e) {
        seen.push(e instanceof InvalidStateError && e.message);
      }
    }
    return seen;
  });
  assert.deepEqual(r, Array(3).fill('yielded an operation of another runtime or of a disposed object'));
  assert.equal(lock.locked(), false);
  assert.equal(q.qsize(), 1);
  for (const notALock of [new rt.Queue(), new rt.Semaphore(), new other.Lock(), {}, rt.loop.createFuture()])
    assert.throws(() => new rt.Condition(notALock), TypeError);
  assert.equal(new rt.Condition(new rt.Lock()).locked(), false);
});

test('an operation made before its object was disposed is refused when yielded, not run on freed memory', async () => {
  // An operation (lock.acquire(), q.get(), waitFor(f), wait([f])...) used to
  // carry its object's address from when it was made: yielded after
  // dispose(), the freed box was read ("memory access out of bounds").
  const r = await vrun(function* () {
    const seen = [];
    const make = [
      () => { const l = new rt.Lock(); return [l, l.acquire()]; },
      () => { const q = new rt.Queue(); q.putNowait(1); return [q, q.get()]; },
      () => { const q = new rt.Queue(); return [q, q.put(1)]; },
      () => { const e = new rt.Event(); e.set(); return [e, e.wait()]; },
      () => { const tg = new rt.TaskGroup(); return [tg, tg.run(function* () {})]; },
      () => { const f = rt.getRunningLoop().createFuture(); f.setResult(1); return [f, rt.waitFor(f, 1)]; },
      () => { const f = rt.getRunningLoop().createFuture(); f.setResult(1); return [f, rt.wait([f])]; },
    ];
    for (const m of make) {
      for (let i = 0; i < 20; i++) {  // freed boxes get reused: several rounds
        const [obj, op] = m();
        obj.dispose();
        new rt.Queue().putNowait('reuses the freed memory');
        try {
          yield op;
          seen.push('ran');
        } catch (e) {
          seen.push(e instanceof InvalidStateError ? 'refused' : String(e));
        }
      }
    }
    return [...new Set(seen)];
  });
  assert.deepEqual(r, ['refused']);
});

test('runUntilComplete of a disposed future rejects with InvalidStateError, not a wasm trap', async () => {
  // It passed the emptied address (0) to C++: "null function or function
  // signature mismatch", a WebAssembly.RuntimeError out of the middle of C++.
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const f = loop.createFuture();
  f.dispose();
  await assert.rejects(loop.runUntilComplete(f), InvalidStateError);
  const t = loop.createTask(sleep(1));
  t.dispose();
  await assert.rejects(loop.runUntilComplete(t), InvalidStateError);
  assert.equal(await loop.runUntilComplete(sleep(1, 'the loop runs')), 'the loop runs');
  loop.close();
});

// asyncio checks these when called; without the checks a bad callback failed
// only when the loop ran it (a TypeError from the package's minified
// internals, reported by the loop), a string delay made a NaN timer and
// Handle.when() a string, and non-numbers made sleep(), waitFor() and
// timeout() act as 0 or as no limit.
test('callbacks and delays are checked at the call, with TypeErrors like asyncio', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const notCallable = (by) => ({ name: 'TypeError', message: new RegExp(`a callable object was expected by ${by}\\(\\)`) });
  assert.throws(() => loop.callSoon(42), notCallable('call_soon'));
  assert.throws(() => loop.callLater(1, 'f'), notCallable('call_later'));
  assert.throws(() => loop.callAt(1, null), notCallable('call_at'));
  const fut = loop.createFuture();
  assert.throws(() => fut.addDoneCallback(42), notCallable('add_done_callback'));
  const notNumber = (name) => ({ name: 'TypeError', message: new RegExp(`^${name} must be a number`) });
  assert.throws(() => loop.callLater('1', () => {}), notNumber('delay'));
  assert.throws(() => loop.callAt(undefined, () => {}), notNumber('when'));
  assert.throws(() => rt.sleep('1'), notNumber('delay'));
  assert.throws(() => rt.sleep(NaN), notNumber('delay'));
  assert.throws(() => rt.waitFor(fut, '1'), notNumber('timeout'));
  assert.throws(() => rt.wait([fut], { timeout: '1' }), notNumber('timeout'));
  assert.throws(() => rt.timeout('1', function* () {}), notNumber('delay'));
  assert.throws(() => rt.timeoutAt({}, function* () {}), notNumber('when'));
  assert.throws(() => rt.asCompleted([fut], { timeout: '1' }), notNumber('timeout'));
  // None stays allowed where asyncio takes it (no time limit).
  assert.doesNotThrow(() => rt.waitFor(fut, null));
  assert.doesNotThrow(() => rt.timeout(undefined, function* () {}));
  const h = loop.callLater(2, () => {});
  assert.equal(h.when(), 2);
  h.cancel();
  // Nothing bad reached the loop: it runs clean.
  const seen = [];
  loop.setExceptionHandler((_l, ctx) => seen.push(ctx.message));
  await loop.run(function* () { yield rt.sleep(0.5); });
  assert.deepEqual(seen, []);
  fut.cancel();
  loop.close();
});
