// JS generator tasks driven by the C++ task machinery: results, ordering,
// cancellation reaching `finally`, uncancel semantics, Promises and
// generators yielded, futures and tasks awaited from async functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRuntime, CancelledError, InvalidStateError, RuntimeError, TimeoutError } from 'aio-asyncio';

const rt = await createRuntime();
const { sleep } = rt;
const vrun = (main) => rt.run(main, { clock: 'virtual' });

test('a task runs its generator and gives the return value', async () => {
  const r = await vrun(function* () {
    const t = rt.createTask(function* () {
      yield sleep(1);
      return 'done';
    }, { name: 'worker' });
    assert.equal(t.getName(), 'worker');
    assert.equal(t.done(), false);
    const v = yield t;
    assert.equal(t.done(), true);
    assert.equal(t.result(), 'done');
    return v;
  });
  assert.equal(r, 'done');
});

test('tasks interleave at each yield, in creation order (asyncio order)', async () => {
  const seen = [];
  await vrun(function* () {
    const worker = (name, n) => function* () {
      for (let i = 0; i < n; i++) {
        seen.push(`${name}${i}`);
        yield sleep(0);
      }
    };
    const a = rt.createTask(worker('a', 3));
    const b = rt.createTask(worker('b', 2));
    yield rt.gather(a, b);
  });
  assert.deepEqual(seen, ['a0', 'b0', 'a1', 'b1', 'a2']);
});

test('sleep(delay, result) resumes with the result; timers order tasks', async () => {
  const seen = [];
  await vrun(function* () {
    const t1 = rt.createTask(function* () { seen.push(yield sleep(2, 'two')); });
    const t2 = rt.createTask(function* () { seen.push(yield sleep(1, 'one')); });
    yield t1;
    yield t2;
  });
  assert.deepEqual(seen, ['one', 'two']);
});

test('cancelling a task throws CancelledError at its yield and runs finally', async () => {
  const seen = [];
  await vrun(function* () {
    const t = rt.createTask(function* () {
      try {
        yield sleep(3600);
        seen.push('not reached');
      } finally {
        seen.push('finally');
      }
    });
    yield sleep(1);
    assert.equal(t.cancel('stop now'), true);
    assert.equal(t.cancelling(), 1);
    try {
      yield t;
    } catch (e) {
      assert.ok(e instanceof CancelledError);
      assert.equal(e.name, 'CancelledError');
      seen.push(`awaiter got ${e.name}`);
    }
    assert.equal(t.cancelled(), true);
    assert.equal(t.cancel(), false);
    assert.equal(rt.getRunningLoop().time(), 1);
  });
  assert.deepEqual(seen, ['finally', 'awaiter got CancelledError']);
});

test('the cancel message reaches the generator', async () => {
  let msg;
  await vrun(function* () {
    const t = rt.createTask(function* () {
      try { yield sleep(10); } catch (e) { msg = e.message; throw e; }
    });
    yield sleep(0);
    t.cancel('because');
    yield rt.gather(t, { returnExceptions: true });
  });
  assert.equal(msg, 'because');
});

test('a generator that catches CancelledError and returns finishes normally', async () => {
  const r = await vrun(function* () {
    const t = rt.createTask(function* () {
      try {
        yield sleep(10);
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        yield sleep(1);  // cleanup may still await
        return 'swallowed';
      }
    });
    yield sleep(0);
    t.cancel();
    const v = yield t;
    assert.equal(t.cancelled(), false);
    assert.equal(t.cancelling(), 1);  // the request stays counted, as in asyncio
    assert.equal(t.uncancel(), 0);
    return v;
  });
  assert.equal(r, 'swallowed');
});

test('a task cancelled before it starts never runs its generator', async () => {
  let ran = false;
  await vrun(function* () {
    const t = rt.createTask(function* () { ran = true; });
    t.cancel();
    yield rt.gather(t, { returnExceptions: true });
    assert.equal(t.cancelled(), true);
  });
  assert.equal(ran, false);
});

test('a Promise yielded from a generator is awaited; its rejection is thrown in', async () => {
  const r = await vrun(function* () {
    const v = yield new Promise((res) => setTimeout(() => res(5), 5));
    let err;
    try {
      yield Promise.reject(new RangeError('nope'));
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof RangeError);
    return v;
  });
  assert.equal(r, 5);
});

test('the virtual clock waits for a yielded Promise for one turn of the JS event loop, then jumps', async () => {
  const seen = [];
  await vrun(function* () {
    const sleeper = rt.createTask(function* () {
      yield sleep(1000);
      seen.push('sleeper');
    });
    // Settled by JS alone (microtasks, an async function): before any jump.
    yield (async () => { for (let i = 0; i < 50; i++) await null; })();
    yield new Promise((res) => setImmediate(res));
    seen.push(`microtasks at ${rt.getRunningLoop().time()}`);
    // Needing real time to settle: virtual time goes on meanwhile (it used
    // to wait, and a promise waiting on the loop itself hung the program).
    yield new Promise((res) => setTimeout(res, 30));
    seen.push(`setTimeout at ${rt.getRunningLoop().time()}`);
    yield sleeper;
  });
  assert.deepEqual(seen, ['microtasks at 0', 'sleeper', 'setTimeout at 1000']);
});

test('virtual time: an async function awaiting the loop\'s own tasks does not hang', async () => {
  // Before, the clock waited for the async function's promise, which waited
  // for a timer of the clock: Node exited with the run unsettled.
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const r = await loop.run(async () => {
    const t0 = loop.time();
    const a = await loop.createTask(sleep(60, 'a'));
    const b = await loop.createTask(function* () { yield sleep(3600); return 'b'; });
    const fromCallLater = await new Promise((res) => loop.callLater(5, () => res('c')));
    return [a, b, fromCallLater, loop.time() - t0];
  });
  assert.deepEqual(r, ['a', 'b', 'c', 3665]);
  // A generator yielding such an async function, too.
  assert.equal(await loop.run(function* () {
    return yield (async () => (await loop.createTask(sleep(1, 2))) * 21)();
  }), 42);
  loop.close();
});

test('futures and tasks are thenables: plain async functions await them', async () => {
  const loop = new rt.EventLoop();
  const fut = loop.createFuture();
  async function viaAsync(f) {
    return (await f) * 2;
  }
  const r = await loop.run(function* () {
    loop.callLater(0.001, () => fut.setResult(21));
    const doubled = yield viaAsync(fut);  // a Promise from an async function
    const t = rt.createTask(function* () { yield sleep(0.001); return 'task'; });
    const fromAsync = yield (async () => await t)();
    return [doubled, fromAsync];
  });
  assert.deepEqual(r, [42, 'task']);
  // After the loop stopped, a done future still settles an await.
  assert.equal(await fut, 21);
  loop.close();
});

test('an operation awaited in an async function rejects with a TypeError; loop.createTask(op) runs it', async () => {
  const loop = new rt.EventLoop();
  const lock = new rt.Lock();
  const seen = await loop.run(async () => {
    const errors = [];
    for (const op of [sleep(0.001), sleep(0), lock.acquire()]) {
      try {
        await op;  // before, it went on at once with the operation as its value
        errors.push('no error');
      } catch (e) {
        errors.push(e instanceof TypeError && e.message.includes('await loop.createTask(op)'));
      }
    }
    const t0 = loop.time();
    const slept = await loop.createTask(sleep(0.02, 'slept'));
    const acquired = await loop.createTask(lock.acquire());
    return { errors, slept, waited: loop.time() - t0 >= 0.019, acquired, locked: lock.locked() };
  });
  assert.deepEqual(seen, { errors: [true, true, true], slept: 'slept', waited: true, acquired: true, locked: true });
  // Yielded by a generator, the same kinds of operation still run (then() is never called).
  assert.equal(await loop.run(function* () { return yield sleep(0.001, 'yielded'); }), 'yielded');
  loop.close();
});

test('yielding a generator runs it inline in the same task', async () => {
  function* child(x) {
    yield sleep(1);
    assert.equal(rt.currentTask(), outer);
    return x + 1;
  }
  let outer;
  const r = await vrun(function* () {
    outer = rt.currentTask();
    const a = yield child(1);
    const b = yield* child(a);  // delegation works too
    return b;
  });
  assert.equal(r, 3);
});

test('currentTask and allTasks see JS tasks as the same objects', async () => {
  await vrun(function* () {
    const me = rt.currentTask();
    let inner;
    const t = rt.createTask(function* () {
      inner = rt.currentTask();
      yield sleep(1);
    });
    const all = rt.allTasks();
    assert.ok(all.includes(me));
    assert.ok(all.includes(t));
    yield t;
    assert.equal(inner, t);
    assert.ok(!rt.allTasks().includes(t));
  });
  assert.equal(rt.currentTask(), null);
});

test('yielding something that is not awaitable throws TypeError into the generator', async () => {
  const r = await vrun(function* () {
    try {
      yield 42;
    } catch (e) {
      return e instanceof TypeError;
    }
  });
  assert.equal(r, true);
});

test('Future API: result states, done callbacks through the loop, removeDoneCallback', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const f = loop.createFuture();
  assert.throws(() => f.result(), InvalidStateError);
  const seen = [];
  const cb = (fut) => seen.push(['cb', fut === f, fut.result()]);
  const removed = () => seen.push('removed');
  f.addDoneCallback(cb);
  f.addDoneCallback(removed);
  assert.equal(f.removeDoneCallback(removed), 1);
  f.setResult('x');
  assert.equal(seen.length, 0);  // callbacks are scheduled, not called inline
  assert.throws(() => f.setResult('y'), InvalidStateError);
  loop.callSoon(() => loop.stop());
  await loop.runForever();
  assert.deepEqual(seen, [['cb', true, 'x']]);
  loop.close();
});

test('getStack and toString name the generator function, then the C++ coroutines awaited', async () => {
  await vrun(function* () {
    const t = rt.createTask(function* sleeper() {
      yield sleep(1);
      yield rt.waitFor(sleep(5), 10);
    });
    yield sleep(0);
    assert.deepEqual(t.getStack(), [{ function: 'sleeper', line: 0 }]);
    assert.equal(String(t), "<Task pending name='Task-2' coro=<sleeper()>>");
    yield sleep(1.5);
    assert.deepEqual(t.getStack().map((f) => f.function), ['sleeper', 'wait_for_impl']);
    yield t;
    assert.deepEqual(t.getStack(), []);
    assert.equal(String(t), "<Task finished name='Task-2' coro=<sleeper()> result=undefined>");
  });
});

test("a finished future's or task's repr shows its result, kept short as asyncio's reprlib keeps it", async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const reprOf = (v) => {
    const f = loop.createFuture();
    f.setResult(v);
    return String(f);
  };
  assert.equal(reprOf(42), '<Future finished result=42>');
  assert.equal(reprOf("it's"), `<Future finished result="it's">`);
  assert.equal(reprOf('a\'b"c\nd'), `<Future finished result='a\\'b"c\\nd'>`);
  assert.equal(reprOf('x'.repeat(20) + 'y'.repeat(20)), "<Future finished result='xxxxxxxxxxxxx...yyyyyyyyyyyyyy'>");
  assert.equal(reprOf([1, 2, 3, 4, 5, 6, 7, [8]]), '<Future finished result=[1, 2, 3, 4, 5, 6, ...]>');
  assert.equal(reprOf({ a: 1, b: { c: 2 }, d: [3], e: 'f', g: 5 }), "<Future finished result={a: 1, b: {...}, d: [...], e: 'f', ...}>");
  assert.equal(reprOf(null), '<Future finished result=null>');
  assert.equal(reprOf(new RangeError('r')), "<Future finished result=RangeError('r')>");
  const t = loop.createTask(function* answer() { return { ok: true }; });
  await loop.runUntilComplete(t);
  assert.equal(String(t), "<Task finished name='Task-1' coro=<answer()> result={ok: true}>");
  assert.equal(reprOf(t), `<Future finished result=${t}>`);
  // No result to show: pending, cancelled, failed.
  const pending = loop.createFuture();
  assert.equal(String(pending), '<Future pending>');
  pending.cancel();
  assert.equal(String(pending), '<Future cancelled>');
  const failed = loop.createFuture();
  failed.setException(new TypeError('bad'));
  assert.equal(String(failed), "<Future finished exception=TypeError('bad')>");
  failed.exception();
  loop.close();
});

test('getStack({limit}) keeps the newest frames; printStack prints the stack, the error, or that there is none', async () => {
  const printed = [];
  const print = (text) => printed.push(text);
  await vrun(function* () {
    const t = rt.createTask(function* sleeper() { yield rt.waitFor(sleep(5), 10); }, { name: 'sleeper' });
    yield sleep(1);
    const [, inner] = t.getStack();
    assert.deepEqual(t.getStack({ limit: 1 }), [inner]);
    assert.deepEqual(t.getStack({ limit: 0 }), []);
    assert.equal(t.getStack({ limit: 5 }).length, 2);
    t.printStack({ print });
    t.printStack({ limit: 1, print });
    const failing = rt.createTask(function* boom() { yield sleep(0); throw new TypeError('bad value'); }, { name: 'boom' });
    yield rt.gather(failing, { returnExceptions: true });
    failing.printStack({ print });
    t.cancel();
    yield rt.gather(t, { returnExceptions: true });
    t.printStack({ print });
  });
  assert.match(printed[0], /^Stack for <Task pending name='sleeper' coro=<sleeper\(\)>> \(most recent call last\):\n  in sleeper\n  line \d+, in wait_for_impl$/);
  assert.match(printed[1], /^Stack for <Task pending name='sleeper' coro=<sleeper\(\)>> \(most recent call last\):\n  line \d+, in wait_for_impl$/);
  // asyncio's repr order (name, coro, exception), the JS error by its class.
  assert.match(printed[2], /^Traceback for <Task finished name='boom' coro=<boom\(\)> exception=TypeError\('bad value'\)> \(most recent call last\):\nTypeError: bad value\n    at boom /);
  assert.equal(printed[3], "No stack for <Task cancelled name='sleeper' coro=<sleeper()>>");
});

test('createTask accepts an async function result (awaited, not cancellable inside)', async () => {
  const r = await vrun(function* () {
    return yield rt.createTask(async () => 'from async');
  });
  assert.equal(r, 'from async');
});

test('run(): when main fails, the tasks left are cancelled (their finally runs) and the loop closed', async () => {
  const seen = [];
  const boom = new Error('main failed');
  let loop;
  await assert.rejects(rt.run(function* () {
    loop = rt.getRunningLoop();
    rt.createTask(function* () {
      try { yield sleep(100); } finally { seen.push('child finally'); }
    });
    yield sleep(1);
    throw boom;
  }, { clock: 'virtual' }), (e) => e === boom);
  assert.deepEqual(seen, ['child finally']);
  assert.equal(loop.isClosed(), true);
});

test('a thenable that calls back more than once settles the task once, with the first outcome', async () => {
  // Not a Promise: nothing stops its then() from calling both callbacks, one
  // twice, or throwing after calling one. Each used to settle the awaited
  // future again (freed memory: the loop then hung or the task failed).
  const loop = new rt.EventLoop();
  const r = await loop.run(function* () {
    const a = yield { then(res, rej) { res('a'); res('b'); rej(new Error('c')); } };
    const b = yield { then(res) { res('first'); throw new Error('then threw after res'); } };
    let c;
    try {
      yield { then(res, rej) { rej(new Error('no')); res('late'); } };
    } catch (e) {
      c = e.message;
    }
    const d = yield { then(res) { setTimeout(() => { res(1); res(2); }, 1); } };
    yield sleep(0.005);
    return [a, b, c, d];
  });
  assert.deepEqual(r, ['a', 'first', 'no', 1]);
  loop.close();
});

test('generators yielded inside one another: RuntimeError past 1000 levels, never a stack overflow out of the loop', async () => {
  // Each level of `yield child()` runs inline, in its parent's resumption:
  // at about 3,500 levels (fewer through timeout bodies) the wasm code
  // overflowed the native stack with a RangeError that escaped the loop's
  // slice (uncaught; the loop never ran again). Python raises RecursionError,
  // a RuntimeError, at 1000 frames.
  function* rec(n, via) {
    if (n === 0) { yield sleep(0); return 0; }
    if (via === 'timeout') return 1 + (yield rt.timeout(10, function* () { return yield rec(n - 1, via); }));
    return 1 + (yield rec(n - 1, via));
  }
  const r = await rt.loop.runUntilComplete(function* () {
    const ok = yield rec(900);
    const errors = [];
    for (const [n, via] of [[5000, 'plain'], [3000, 'timeout'], [1000, 'plain']]) {
      try {
        yield rec(n, via);
      } catch (e) {
        errors.push(e instanceof RuntimeError && e.message);
      }
    }
    // Levels that suspend in between do not pile up on the stack.
    function* viaPromise(n) { return n === 0 ? 0 : 1 + (yield Promise.resolve(0)) + (yield viaPromise(n - 1)); }
    return [ok, errors, yield viaPromise(5000)];
  });
  assert.deepEqual(r, [900, Array(3).fill('maximum recursion depth exceeded'), 5000]);
  assert.equal(await rt.loop.runUntilComplete(sleep(0, 'the loop still runs')), 'the loop still runs');
});

// asyncio.wait_for is a coroutine: nothing starts until it is awaited, so
// loop.run_until_complete(wait_for(coro, 1)) works where no loop runs yet.
// Before, waitFor() made a task of `aw` at once and threw 'no running event
// loop' there.
test('waitFor() of a coroutine or operation works outside a running loop, as a coroutine', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  assert.equal(await loop.runUntilComplete(rt.waitFor(sleep(0.5, 'x'), 1)), 'x');
  const t0 = loop.time();
  await assert.rejects(loop.runUntilComplete(rt.waitFor(sleep(5), 1)), TimeoutError);
  assert.equal(loop.time() - t0, 1);
  let started = false;
  const lazy = rt.waitFor((function* () { started = true; yield sleep(0.1); return 4; })(), null);
  assert.equal(started, false);  // not run until awaited
  assert.equal(await loop.runUntilComplete(lazy), 4);
  assert.equal(started, true);
  // Inside a task too, yielded.
  assert.equal(await loop.run(function* () { return yield rt.waitFor(sleep(0.1, 5), 1); }), 5);
  loop.close();
});

// With a loop running, waitFor(coro, t) made its task at the call, so the
// coroutine ran (and a timeout could start counting) before anything awaited
// it, and ran even if nothing ever did. asyncio's wait_for is a coroutine:
// the same lazy rule as outside a running loop.
test('waitFor() of a coroutine starts nothing until it is awaited, with a loop running too', async () => {
  const r = await rt.run(function* () {
    let started = 0;
    const body = function* () { started++; yield sleep(0.1); return 7; };
    const never = rt.waitFor(body(), 1);  // never awaited: never runs
    const w = rt.waitFor(body(), 1);
    const tasks = rt.allTasks().length;
    yield sleep(0.01);
    const before = started;
    const value = yield w;
    return [never !== w, tasks, before, value, started];
  }, { clock: 'virtual' });
  assert.deepEqual(r, [true, 1, 0, 7, 1]);
});

// Eager tasks (asyncio 3.12's eager_task_factory, 3.14's eager_start=). The
// expected order is CPython 3.13's for the same program, except that the
// task's name is set before its eager step (3.14; 3.12 and 3.13 name it after).
test('eagerStart and eagerTaskFactory run a task up to its first yield inside createTask', async () => {
  const log = [];
  await vrun(function* main() {
    const loop = rt.getRunningLoop();
    const child = (name) => function* () {
      log.push(`${name} start ${rt.currentTask().getName()}`);
      yield sleep(0);
      log.push(`${name} end`);
      return name;
    };
    const a = loop.createTask(child('a'), { name: 'A' });
    log.push('after a');
    assert.equal(loop.getTaskFactory(), null);
    loop.setTaskFactory(rt.eagerTaskFactory);
    assert.equal(loop.getTaskFactory(), rt.eagerTaskFactory);
    const b = loop.createTask(child('b'), { name: 'B' });
    log.push(`after b current=${rt.currentTask().getName()}`);
    // Done without suspending: finished when createTask returns, never scheduled.
    const q = rt.createTask(function* () { log.push('quick runs'); return 7; });
    log.push(`q done=${q.done()} result=${q.result()} in all=${rt.allTasks().includes(q)}`);
    const c = loop.createTask(child('c'), { name: 'C', eagerStart: false });
    log.push('after c (lazy)');
    yield rt.taskGroup(function* (tg) {
      tg.createTask(child('g1'), { name: 'G1' });
      log.push('after g1');
      tg.createTask(child('g2'), { name: 'G2', eagerStart: false });
      log.push('after g2 (lazy)');
    });
    loop.setTaskFactory(null);
    const d = loop.createTask(child('d'), { name: 'D', eagerStart: true });
    log.push('after d');
    assert.deepEqual(yield rt.gather(a, b, c, d), ['a', 'b', 'c', 'd']);
  });
  assert.deepEqual(log, [
    'after a',
    'b start B', 'after b current=Task-1',
    'quick runs', 'q done=true result=7 in all=false',
    'after c (lazy)',
    'g1 start G1', 'after g1', 'after g2 (lazy)',
    'a start A', 'b end', 'c start C', 'g1 end', 'g2 start G2', 'a end', 'c end', 'g2 end',
    'd start D', 'after d', 'd end',
  ]);
});

test('an eager task is the current task during its first step and can fail or be cancelled there', async () => {
  await vrun(function* () {
    const parent = rt.currentTask();
    let inner;
    const t = rt.createTask(function* () {
      inner = rt.currentTask();
      assert.equal(inner.getName(), 'eager');  // its address is known already
      yield sleep(1);
    }, { name: 'eager', eagerStart: true });
    assert.equal(inner, t);
    assert.equal(rt.currentTask(), parent);
    t.cancel();
    yield rt.gather(t, { returnExceptions: true });
    assert.ok(t.cancelled());
    const boom = new RangeError('at once');
    const f = rt.createTask(function* () { throw boom; }, { eagerStart: true });
    assert.equal(f.done(), true);
    assert.equal(f.exception(), boom);
  });
  // A loop that is not running starts an eager task lazily (asyncio's rule).
  const loop = new rt.EventLoop({ clock: 'virtual' });
  let ran = false;
  const t = loop.createTask(function* () { ran = true; }, { eagerStart: true });
  assert.equal(ran, false);
  await loop.runUntilComplete(t);
  assert.equal(ran, true);
  loop.close();
});

test('a task factory makes the loop\'s tasks; new Task() is the default one', async () => {
  const made = [];
  const r = await vrun(function* () {
    const loop = rt.getRunningLoop();
    assert.throws(() => loop.setTaskFactory(42), TypeError);
    loop.setTaskFactory((l, coro, options) => {
      const t = new rt.Task(coro, { ...options, loop: l });
      made.push([l === loop, options.name, t.getName()]);
      return t;
    });
    const t1 = rt.createTask(function* () { return 1; }, { name: 'one' });
    const t2 = rt.ensureFuture(sleep(0.5, 2));
    const t3 = new rt.Task(function* () { return 3; });  // the factory is not called
    assert.ok(t1 instanceof rt.Task && t3 instanceof rt.Task);
    return yield rt.gather(t1, t2, t3);
  });
  assert.deepEqual(r, [1, 2, 3]);
  assert.deepEqual(made, [[true, 'one', 'one'], [true, undefined, 'Task-2']]);
  assert.throws(() => new rt.Task(function* () {}), RuntimeError);  // no running loop
  const other = await createRuntime();
  assert.throws(() => new rt.Task(function* () {}, { loop: other.loop }), TypeError);
});
