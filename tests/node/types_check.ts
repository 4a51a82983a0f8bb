// A typed use of the package, checked with `tsc --noEmit` (ctest: npm_types):
// it must compile against index.d.ts as a user's program would.
import {
  createRuntime, sleep, withLock, eagerTaskFactory, CancelledError, TimeoutError, ExceptionGroup, FetchError,
  type Runtime, type Task, type Future, type Queue, type EventLoop, type Coroutine, type FetchOptions,
} from 'aio-asyncio';

async function main(): Promise<void> {
  const rt: Runtime = await createRuntime({ clock: 'virtual' });
  const threaded: Runtime = await createRuntime({ threads: true });
  const hasThreads: boolean = threaded.hasThreads && !rt.hasThreads;
  void hasThreads;
  const loop: EventLoop = rt.loop;
  const h = loop.callLater(1, (who: string) => console.log(`hello ${who}`), 'world');
  const when: number | undefined = h.when();
  h.cancel();
  // Task factories, eager start and debug mode.
  loop.setTaskFactory(eagerTaskFactory);
  loop.setTaskFactory((l, coro, options) => new rt.Task(coro, { ...options, loop: l }));
  const eagerOne: Task<number> = loop.createTask(sleep(1, 5), { name: 'e', eagerStart: true });
  void eagerOne;
  loop.setTaskFactory(loop.getTaskFactory() === rt.eagerTaskFactory ? null : null);
  loop.setDebug(!loop.getDebug());
  loop.slowCallbackDuration = 0.05;

  function* worker(q: Queue<number>, lock: InstanceType<Runtime['Lock']>): Coroutine<number> {
    let total = 0;
    for (;;) {
      const item: number = yield q.get();
      if (item < 0) break;
      total += yield* withLock(lock, function* () {
        yield sleep(0.1);
        return item;
      });
      q.taskDone();
    }
    return total;
  }

  const result: number = await rt.run(function* () {
    const q = new rt.Queue<number>();
    const lock = new rt.Lock();
    const t: Task<number> = rt.createTask(worker(q, lock), { name: 'worker' });
    for (const n of [1, 2, 3]) yield q.put(n);
    yield q.join();
    q.putNowait(-1);
    const sum: number = yield t;
    const [a, b] = (yield rt.gather(sleep(1, 'x'), Promise.resolve(2))) as [string, number];
    try {
      yield rt.waitFor(sleep(10), 1);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
    }
    yield rt.timeout(null, function* (cm) {
      const w: number | null = cm.when();
      cm.reschedule(w ?? 5);
    });
    yield rt.taskGroup(function* (tg) {
      tg.createTask(function* () { yield sleep(1); });
    });
    const f: Future<string> = rt.getRunningLoop().createFuture<string>();
    f.setResult(a + b);
    return sum + (f.result() === 'x2' ? 0 : 1);
  }, { clock: 'virtual' });

  const task = loop.createTask(function* () { yield sleep(5); return 'late'; });
  task.cancel();
  try {
    await loop.runUntilComplete(task);
  } catch (e) {
    console.log(e instanceof CancelledError, e instanceof ExceptionGroup, result, when);
  }
  await rt.run(function* () {
    try {
      const r = yield rt.fetch('http://127.0.0.1:1/', { method: 'GET', headers: { accept: 'text/plain' } });
      const t: string = yield (r as import('aio-asyncio').Response).text();
      console.log(t);
    } catch (e) {
      console.log(e instanceof FetchError ? e.errorName : e);
    }
    try {
      const ws: import('aio-asyncio').WebSocket = yield rt.WebSocket.connect('ws://127.0.0.1:1/');
      const messages = ws.messages();
      for (let m: string | Uint8Array | null; (m = yield messages.next()) !== null;) console.log(m);
    } catch (e) {
      console.log(e);
    }
  });
  // What fetch() takes, and (each @ts-expect-error) what it throws a TypeError for.
  const fetchOptions: FetchOptions[] = [
    { headers: [['x-a', '1']] }, { headers: new Map([['x-a', '1']]) }, { headers: { 'x-n': 1 } },
    { method: null, headers: null, body: null }, { body: new Uint16Array(1) }, { body: new ArrayBuffer(1) },
    { signal: new AbortController().signal, redirect: 'manual', credentials: 'include', mode: 'cors', cache: 'no-store',
      referrer: '', referrerPolicy: 'no-referrer', integrity: 'sha256-x', keepalive: true, priority: 'high' },
    { signal: null, redirect: null, window: null },
  ];
  void fetchOptions;
  const badFetchOptions: FetchOptions[] = [
    // @ts-expect-error: a number is not headers
    { headers: 5 },
    // @ts-expect-error: a pair has two strings
    { headers: [['x-a']] },
    // @ts-expect-error: a method is a string
    { method: 5 },
    // @ts-expect-error: a body is a string or bytes
    { body: 42 },
    // @ts-expect-error: not a redirect mode
    { redirect: 'never' },
    // @ts-expect-error: not a RequestInit member (a TypeError naming it at the call)
    { redirects: 'manual' },
    // @ts-expect-error: a signal is an AbortSignal
    { signal: new AbortController() },
  ];
  void badFetchOptions;
  const demos = await rt.loadDemos();
  const names: string[] = demos.list().map((d) => d.name);
  const status: number = await demos.run(names[0], { seconds: 1 }, { onOutput: (line: string) => console.log(line) });
  console.log(status);
  // The runtime's classes of futures, tasks and handles narrow with instanceof.
  const unknownThing: unknown = rt.loop.createFuture<number>();
  if (unknownThing instanceof rt.Task) console.log(unknownThing.getName());
  else if (unknownThing instanceof rt.Future) console.log(unknownThing.done());
  console.log(h instanceof rt.Handle);
  // asCompleted and wait take any iterable (a Set here).
  const set = new Set([rt.loop.createTask(function* () { return 1; })]);
  void rt.asCompleted(set);
  // Both of as_completed's forms: generators of results, and the futures themselves.
  const completed = rt.asCompleted([rt.loop.createTask(function* () { return 1; })]);
  const firstResult: Coroutine<number> = completed[0];
  const nextFuture: Coroutine<Future<number> | null> = completed.next();
  void [firstResult, nextFuture];
  for await (const f of completed) { const n: number = f.result(); void n; }
  // @ts-expect-error: next() gives a future (or null), not its result
  const notAResult: Coroutine<number> = completed.next();
  void notAResult;
  void rt.wait(set);
  const mem = rt.memory();
  console.log(mem.heapUsed >= 0);
}

void main();
