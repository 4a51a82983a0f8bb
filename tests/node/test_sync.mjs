// Synchronisation primitives, queues and combinators from JS generators.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createRuntime, CancelledError, TimeoutError, QueueEmpty, QueueFull, QueueShutDown, ValueError,
  BrokenBarrierError, ExceptionGroup, RuntimeError,
} from 'aio-asyncio';

const rt = await createRuntime();
const { sleep, withLock } = rt;
const vrun = (main) => rt.run(main, { clock: 'virtual' });

test('Semaphore bounds concurrency: 10 workers, at most 3 at a time', async () => {
  let inside = 0, peak = 0;
  const order = [];
  await vrun(function* () {
    const sem = new rt.Semaphore(3);
    const worker = (i) => function* () {
      yield* withLock(sem, function* () {
        inside++;
        peak = Math.max(peak, inside);
        order.push(i);
        yield sleep(1);
        inside--;
      });
    };
    yield rt.gather(...Array.from({ length: 10 }, (_, i) => worker(i)));
    assert.equal(rt.getRunningLoop().time(), 4);  // ceil(10 / 3) rounds of 1 s
  });
  assert.equal(peak, 3);
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);  // FIFO
});

test('BoundedSemaphore refuses an extra release', async () => {
  const s = new rt.BoundedSemaphore(1);
  assert.throws(() => s.release(), ValueError);
  s.dispose();
});

test('Lock: FIFO hand-over, release of an unlocked lock is a RuntimeError, cancelled waiter', async () => {
  const seen = [];
  await vrun(function* () {
    const lock = new rt.Lock();
    assert.throws(() => lock.release(), RuntimeError);
    yield lock.acquire();
    assert.equal(lock.locked(), true);
    const a = rt.createTask(function* () { yield lock.acquire(); seen.push('a'); lock.release(); });
    const b = rt.createTask(function* () {
      try { yield lock.acquire(); seen.push('b'); lock.release(); } catch (e) { seen.push(`b ${e.name}`); }
    });
    const c = rt.createTask(function* () { yield lock.acquire(); seen.push('c'); lock.release(); });
    yield sleep(0);
    b.cancel();
    yield sleep(0);
    lock.release();
    yield rt.gather(a, b, c);
    assert.equal(lock.locked(), false);
  });
  assert.deepEqual(seen, ['b CancelledError', 'a', 'c']);
});

test('Event wakes every waiter', async () => {
  await vrun(function* () {
    const ev = new rt.Event();
    const woken = [];
    const waiters = [1, 2, 3].map((i) => rt.createTask(function* () { yield ev.wait(); woken.push(i); }));
    yield sleep(1);
    assert.deepEqual(woken, []);
    ev.set();
    assert.equal(ev.isSet(), true);
    yield rt.gather(...waiters);
    assert.deepEqual(woken, [1, 2, 3]);
  });
});

test('Condition: waitFor a predicate, notify wakes one waiter at a time', async () => {
  await vrun(function* () {
    const cond = new rt.Condition();
    let items = 0;
    const got = [];
    const consumer = (name) => function* () {
      yield* withLock(cond, function* () {
        yield* cond.waitFor(() => items > 0);
        items--;
        got.push(name);
      });
    };
    const tasks = [rt.createTask(consumer('x')), rt.createTask(consumer('y'))];
    yield sleep(1);
    yield* withLock(cond, function* () {
      items = 1;
      cond.notify();
    });
    yield sleep(1);
    assert.deepEqual(got, ['x']);
    yield* withLock(cond, function* () {
      items = 1;
      cond.notifyAll();
    });
    yield rt.gather(...tasks);
    assert.deepEqual(got, ['x', 'y']);
  });
});

test('Barrier gives distinct indices; abort breaks waiters', async () => {
  await vrun(function* () {
    const barrier = new rt.Barrier(3);
    const idx = yield rt.gather(...[0, 1, 2].map(() => function* () { return yield barrier.wait(); }));
    assert.deepEqual([...idx].sort(), [0, 1, 2]);
    const waiter = rt.createTask(function* () { return yield barrier.wait(); });
    yield sleep(0);
    assert.equal(barrier.nWaiting, 1);
    yield barrier.abort();
    yield rt.gather(waiter, { returnExceptions: true });
    assert.ok(waiter.exception() instanceof BrokenBarrierError);
    assert.equal(barrier.broken, true);
  });
});

test('Queue: producer/consumer, join, nowait errors, shutdown', async () => {
  await vrun(function* () {
    const q = new rt.Queue(2);
    const got = [];
    const consumer = rt.createTask(function* () {
      for (;;) {
        const item = yield q.get();
        got.push(item);
        yield sleep(1);
        q.taskDone();
      }
    });
    for (const item of [{ a: 1 }, 'two', [3]]) yield q.put(item);  // waits when full
    yield q.join();
    assert.deepEqual(got, [{ a: 1 }, 'two', [3]]);
    consumer.cancel();
    assert.throws(() => q.getNowait(), QueueEmpty);
    q.putNowait(1);
    q.putNowait(2);
    assert.equal(q.full(), true);
    assert.throws(() => q.putNowait(3), QueueFull);
    q.shutdown();
    assert.throws(() => q.putNowait(4), QueueShutDown);
  });
});

test('PriorityQueue orders [priority, item] pairs; LifoQueue is last in first out', async () => {
  const pq = new rt.PriorityQueue();
  for (const x of [[3, 'c'], [1, 'a'], [2, 'b'], [1, 'A']]) pq.putNowait(x);
  const out = [];
  while (!pq.empty()) out.push(pq.getNowait());
  assert.deepEqual(out, [[1, 'A'], [1, 'a'], [2, 'b'], [3, 'c']]);
  const lq = new rt.LifoQueue();
  for (const x of [1, 2, 3]) lq.putNowait(x);
  assert.deepEqual([lq.getNowait(), lq.getNowait(), lq.getNowait()], [3, 2, 1]);
});

test('gather keeps argument order; returnExceptions collects errors', async () => {
  await vrun(function* () {
    const mk = (d, v) => function* () { yield sleep(d); return v; };
    const r = yield rt.gather(mk(3, 'a'), mk(1, 'b'), Promise.resolve('c'));
    assert.deepEqual(r, ['a', 'b', 'c']);
    const boom = new Error('boom');
    const r2 = yield rt.gather(mk(1, 1), function* () { throw boom; }, { returnExceptions: true });
    assert.equal(r2[0], 1);
    assert.equal(r2[1], boom);
    let caught;
    try {
      yield rt.gather(mk(1, 1), function* () { yield sleep(0); throw boom; });
    } catch (e) {
      caught = e;
    }
    assert.equal(caught, boom);
  });
});

test('waitFor: TimeoutError cancels the inner task; in time gives its result', async () => {
  await vrun(function* () {
    let cleaned = false;
    const slow = rt.createTask(function* () {
      try { yield sleep(10); } finally { cleaned = true; }
    });
    let err;
    try {
      yield rt.waitFor(slow, 1);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof TimeoutError);
    assert.equal(cleaned, true);
    assert.equal(slow.cancelled(), true);
    assert.equal(rt.getRunningLoop().time(), 1);
    assert.equal(yield rt.waitFor(function* () { yield sleep(1); return 'ok'; }, 5), 'ok');
  });
});

test('wait: FIRST_COMPLETED returns the same objects, split done/pending', async () => {
  await vrun(function* () {
    const a = rt.createTask(function* () { yield sleep(1); });
    const b = rt.createTask(function* () { yield sleep(2); });
    const [done, pending] = yield rt.wait([a, b], { returnWhen: 'FIRST_COMPLETED' });
    assert.deepEqual(done, [a]);
    assert.deepEqual(pending, [b]);
    const [d2, p2] = yield rt.wait([b], { timeout: 0.5 });
    assert.deepEqual([d2.length, p2.length], [0, 1]);
    yield b;
  });
});

test('shield: cancelling the awaiter does not cancel the inner task', async () => {
  await vrun(function* () {
    const inner = rt.createTask(function* () { yield sleep(2); return 'inner'; });
    const outer = rt.createTask(function* () { return yield rt.shield(inner); });
    yield sleep(1);
    outer.cancel();
    yield rt.gather(outer, { returnExceptions: true });
    assert.equal(outer.cancelled(), true);
    assert.equal(yield inner, 'inner');
  });
});

test('asCompleted yields results in completion order; timeout raises TimeoutError', async () => {
  await vrun(function* () {
    const mk = (d) => function* () { yield sleep(d); return d; };
    const got = [];
    for (const next of rt.asCompleted([mk(3), mk(1), mk(2)])) got.push(yield next);
    assert.deepEqual(got, [1, 2, 3]);
    const it = rt.asCompleted([mk(1), mk(5)], { timeout: 2 });
    assert.equal(yield it[0], 1);
    let err;
    try { yield it[1]; } catch (e) { err = e; }
    assert.ok(err instanceof TimeoutError);
    // Any iterable, as asyncio takes (index.d.ts says Iterable): a Set, a generator of tasks.
    const fromSet = [];
    for (const next of rt.asCompleted(new Set([mk(2), mk(1)]))) fromSet.push(yield next);
    assert.deepEqual(fromSet, [1, 2]);
    const tasks = [rt.createTask(mk(1)), rt.createTask(mk(0.5))];
    const [done] = yield rt.wait(new Set(tasks));
    assert.equal(done.length, 2);
    // Not one awaitable, nor a non-iterable: TypeError (asyncio's too).
    assert.throws(() => rt.asCompleted(tasks[0]), TypeError);
    assert.throws(() => rt.asCompleted(mk(1)()), TypeError);
    assert.throws(() => rt.wait(tasks[0]), TypeError);
    assert.throws(() => rt.wait(42), TypeError);
  });
});

test("asCompleted's next(): the futures themselves in completion order, then null; TimeoutError after the timeout", async () => {
  await vrun(function* () {
    const mk = (d) => function* () { yield sleep(d); return d; };
    const tasks = [3, 1, 2].map((d) => rt.createTask(mk(d)));
    const completed = rt.asCompleted(tasks);
    const order = [];
    for (let t; (t = yield completed.next()) !== null;) {
      assert.ok(t.done());
      order.push(tasks.indexOf(t));  // the task given, not a wrapper
    }
    assert.deepEqual(order, [1, 2, 0]);
    assert.equal(yield completed.next(), null);  // and stays exhausted
    // A coroutine's future is the task made for it; its result is the coroutine's.
    const fromCoro = rt.asCompleted([mk(0.5)]);
    const t = yield fromCoro.next();
    assert.ok(t instanceof rt.Task);
    assert.equal(t.result(), 0.5);
    // A failed future is handed out like the others: the error is its own.
    const failing = rt.createTask(function* () { yield sleep(0.1); throw new RangeError('bad'); });
    const f = yield rt.asCompleted([failing]).next();
    assert.equal(f, failing);
    assert.ok(f.exception() instanceof RangeError);
    // The timeout: the first is handed out, the second raises TimeoutError.
    const slow = rt.asCompleted([mk(1), mk(5)], { timeout: 2 });
    assert.equal((yield slow.next()).result(), 1);
    let err;
    try { yield slow.next(); } catch (e) { err = e; }
    assert.ok(err instanceof TimeoutError);
    // The two forms count down together (asyncio's one iterator): two
    // awaitables, one taken by the array's first item, one by next().
    const both = rt.asCompleted([mk(1), mk(2)]);
    assert.equal(yield both[0], 1);
    assert.equal((yield both.next()).result(), 2);
    assert.equal(yield both.next(), null);
    err = undefined;
    try { yield both[1]; } catch (e) { err = e; }  // would wait forever: says why instead
    assert.ok(err instanceof RuntimeError && /next\(\) already gave every future/.test(err.message), String(err));
  });
});

test('asCompleted in an async function: for await gives the futures in completion order', async () => {
  const loop = new rt.EventLoop({ clock: 'virtual' });
  const got = await loop.run(async () => {
    const mk = (d) => function* () { yield sleep(d); return d; };
    const tasks = [0.3, 0.1, 0.2].map((d) => loop.createTask(mk(d)));
    const out = [];
    for await (const t of rt.asCompleted(tasks)) out.push([tasks.indexOf(t), t.result()]);
    return out;
  });
  assert.deepEqual(got, [[1, 0.1], [2, 0.2], [0, 0.3]]);
  loop.close();
});

test('timeout: the body is cancelled at the deadline and TimeoutError raised; finally runs', async () => {
  await vrun(function* () {
    let cleaned = false;
    let err;
    try {
      yield rt.timeout(1, function* () {
        try { yield sleep(10); } finally { cleaned = true; }
      });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof TimeoutError);
    assert.equal(cleaned, true);
    assert.equal(rt.currentTask().cancelling(), 0);
    assert.equal(yield rt.timeout(5, function* () { yield sleep(1); return 'in time'; }), 'in time');
  });
});

test('TaskGroup: waits for children; a failure cancels the others into an ExceptionGroup', async () => {
  await vrun(function* () {
    const results = [];
    yield rt.taskGroup(function* (tg) {
      tg.createTask(function* () { yield sleep(2); results.push('slow'); });
      tg.createTask(function* () { yield sleep(1); results.push('fast'); });
    });
    assert.deepEqual(results, ['fast', 'slow']);
    assert.equal(rt.getRunningLoop().time(), 2);

    const boom = new Error('boom');
    let cancelledSibling = false;
    let bodyFinished = false;
    let err;
    try {
      yield new rt.TaskGroup().run(function* (tg) {
        tg.createTask(function* () { try { yield sleep(10); } catch (e) { cancelledSibling = e instanceof CancelledError; throw e; } });
        tg.createTask(function* () { yield sleep(1); throw boom; });
        yield sleep(5);  // the body is still running when the child fails: cancelled too
        bodyFinished = true;
      });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ExceptionGroup);
    assert.deepEqual(err.exceptions, [boom]);
    assert.equal(cancelledSibling, true);
    assert.equal(bodyFinished, false);
    assert.equal(rt.getRunningLoop().time(), 3);
    // The group withdrew the cancellation it requested on this task (as in
    // CPython 3.11, only when it was requested while the body still ran).
    assert.equal(rt.currentTask().cancelling(), 0);
  });
});

test('timeout(delay, function* (cm) {...}): reschedule pushes the deadline back; expired(); null delay', async () => {
  await vrun(function* () {
    const loop = rt.getRunningLoop();
    let scope;
    const r = yield rt.timeout(1, function* (cm) {
      scope = cm;
      assert.equal(cm.when(), 1);
      yield sleep(0.5);
      cm.reschedule(loop.time() + 2);  // now due at 2.5
      yield sleep(1.5);
      assert.equal(cm.expired(), false);
      return 'in time';
    });
    assert.equal(r, 'in time');
    assert.equal(loop.time(), 2);
    assert.throws(() => scope.when(), RuntimeError);  // the scope has exited
    assert.equal(scope.expired(), false);

    let err;
    try {
      yield rt.timeout(null, function* (cm) {
        assert.equal(cm.when(), null);
        cm.reschedule(loop.time() + 1);
        scope = cm;
        yield sleep(5);
      });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof TimeoutError);
    assert.equal(scope.expired(), true);
    assert.equal(loop.time(), 3);
    yield rt.timeoutAt(loop.time() + 1, function* () { yield sleep(0.5); });
  });
});

// Sizes and counts go to C++ as integers: before, Queue('x') and
// Queue(1e20) made a queue of maxsize -2147483648 and Barrier(1e20) one of
// 1661992960 parties; notify(1e20) woke nobody and notify('x') was taken as 0.
test('Queue, Barrier, Semaphore sizes and notify(n) are checked: TypeError, ValueError, never wrapped', async () => {
  const notInteger = { name: 'TypeError', message: /must be an integer/ };
  const outOfRange = { name: 'ValueError', message: /out of range/ };
  assert.throws(() => new rt.Queue('x'), notInteger);
  assert.throws(() => new rt.Queue(1.5), notInteger);
  assert.throws(() => new rt.Queue(1e20), outOfRange);
  assert.throws(() => new rt.LifoQueue(2 ** 31), outOfRange);
  assert.throws(() => new rt.Barrier(1e20), outOfRange);
  assert.throws(() => new rt.Barrier('2'), notInteger);
  assert.throws(() => new rt.Semaphore('x'), notInteger);
  assert.throws(() => new rt.Semaphore(1e20), outOfRange);
  assert.throws(() => new rt.Barrier(0), ValueError);  // asyncio's own check, as before
  assert.equal(new rt.Queue(-1).maxsize, -1);  // <= 0: unbounded, as in asyncio
  assert.equal(new rt.Queue().maxsize, 0);

  // notify(n) wakes min(n, waiters); n <= 0 none (Python's loop over the waiters).
  const woken = [];
  for (const n of [-1, 0, 2, 1e20]) {
    woken.push(await vrun(function* () {
      const c = new rt.Condition();
      let woke = 0;
      for (let i = 0; i < 3; i++) {
        rt.createTask(function* () {
          yield c.acquire();
          try { yield c.wait(); woke++; } finally { c.release(); }
        });
      }
      yield sleep(0);
      yield c.acquire();
      c.notify(n);
      c.release();
      yield sleep(1);
      const n0 = woke;
      yield c.acquire();
      c.notifyAll();
      c.release();
      return n0;
    }));
  }
  assert.deepEqual(woken, [0, 0, 2, 3]);
  const c = new rt.Condition();
  assert.throws(() => c.notify('x'), notInteger);
});

test('String() of a disposed primitive or queue says so instead of throwing', () => {
  for (const C of [rt.Lock, rt.Event, rt.Semaphore, rt.Condition, rt.Queue, rt.PriorityQueue, rt.TaskGroup]) {
    const o = new C();
    assert.match(String(o), /^<\w+/);
    o.dispose();
    assert.equal(String(o), `<${C.name} disposed>`);
  }
  const b = new rt.Barrier(2);
  b.dispose();
  assert.equal(String(b), '<Barrier disposed>');
});
