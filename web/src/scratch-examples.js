// The scratchpad's examples: JavaScript against the npm package's API. Each
// runs as the body of an async function with `aio` (the runtime: loop,
// sleep, createTask, gather, waitFor, Lock, Queue, ...) and `print` in scope.
export const examples = [
  {
    id: 'hello',
    title: { en: 'Two tasks sleeping concurrently', zh: '两个任务同时睡眠' },
    code: `// Generator functions are coroutines: \`yield\` awaits a future, a task or a Promise.
function* sayAfter(delay, what) {
  yield aio.sleep(delay);
  print(what);
}

function* main() {
  // loop.time() is a monotonic clock with an arbitrary origin, as in asyncio.
  const loop = aio.getRunningLoop();
  const t0 = loop.time();
  const task1 = aio.createTask(sayAfter(1, 'hello'), { name: 'hello' });
  const task2 = aio.createTask(sayAfter(2, 'world'), { name: 'world' });
  print(\`started at \${(loop.time() - t0).toFixed(3)}\`);
  yield task1;
  yield task2;
  print(\`finished at \${(loop.time() - t0).toFixed(3)}\`);
}

await aio.run(main);
`,
  },
  {
    id: 'cancel',
    title: { en: 'Cancellation runs finally blocks', zh: '取消会运行 finally 块' },
    code: `// task.cancel() and the Cancel button throw CancelledError into the generator
// at its \`yield\`, so the finally block prints.
function* worker(name) {
  try {
    for (let i = 1; ; i++) {
      print(\`\${name}: tick \${i}\`);
      yield aio.sleep(0.5);
    }
  } finally {
    print(\`\${name}: cleaning up\`);
  }
}

function* main() {
  const a = aio.createTask(worker('a'), { name: 'a' });
  const b = aio.createTask(worker('b'), { name: 'b' });
  yield aio.sleep(1.2);
  a.cancel('enough of a');
  try {
    yield a;
  } catch (e) {
    print(\`a: \${e.name} (\${e.message})\`);
  }
  print('b runs until you press Cancel');
  yield b;
}

await aio.run(main);
`,
  },
  {
    id: 'timeout',
    title: { en: 'waitFor gives up after a timeout', zh: 'waitFor 超时后放弃' },
    code: `function* slow() {
  try {
    yield aio.sleep(10);
    return 'never';
  } finally {
    print('slow(): cancelled by waitFor');
  }
}

function* main() {
  const loop = aio.getRunningLoop();
  const t0 = loop.time();
  try {
    yield aio.waitFor(slow(), 0.5);
  } catch (e) {
    print(\`\${e.name} after \${(loop.time() - t0).toFixed(3)} s\`);
  }
}

await aio.run(main);
`,
  },
  {
    id: 'semaphore',
    title: { en: 'A Semaphore bounds concurrent downloads', zh: 'Semaphore 限制并发下载' },
    code: `// Promises can be yielded too: here the browser's fetch(), two at a time.
const limit = new aio.Semaphore(2);

function* download(i) {
  yield limit.acquire();
  try {
    print(\`start \${i}\`);
    const res = yield fetch(\`/api/slow?delay=\${200 + i * 100}&id=scratch-\${i}\`);
    const text = yield res.text();
    print(\`done \${i}: \${res.status}, \${text.length} bytes\`);
  } finally {
    limit.release();
  }
}

function* main() {
  const tasks = [];
  for (let i = 1; i <= 5; i++) tasks.push(aio.createTask(download(i), { name: \`download-\${i}\` }));
  yield aio.gather(...tasks);
}

await aio.run(main);
`,
  },
  {
    id: 'queue',
    title: { en: 'Producer and consumers around a Queue', zh: '围绕 Queue 的生产者和消费者' },
    code: `const queue = new aio.Queue(2);

function* producer() {
  for (let i = 1; i <= 6; i++) {
    yield queue.put(i);
    print(\`put \${i} (size \${queue.qsize()})\`);
  }
}

function* consumer(name) {
  for (;;) {
    const item = yield queue.get();
    yield aio.sleep(0.3);
    print(\`\${name} got \${item}\`);
    queue.taskDone();
  }
}

function* main() {
  const consumers = [aio.createTask(consumer('c1')), aio.createTask(consumer('c2'))];
  yield producer();
  yield queue.join();
  for (const c of consumers) c.cancel();
  print('all items processed');
}

await aio.run(main);
`,
  },
  {
    id: 'taskgroup',
    title: { en: 'A failing TaskGroup child cancels the rest', zh: 'TaskGroup 中失败的子任务会取消其余任务' },
    code: `function* child(name, delay, fail) {
  try {
    yield aio.sleep(delay);
    if (fail) throw new Error(\`\${name} failed\`);
    print(\`\${name} done\`);
  } catch (e) {
    if (e instanceof aio.CancelledError) print(\`\${name} cancelled\`);
    throw e;
  }
}

function* main() {
  try {
    yield aio.taskGroup(function* (tg) {
      tg.createTask(child('a', 0.2));
      tg.createTask(child('b', 0.5, true));
      tg.createTask(child('c', 2));
    });
  } catch (e) {
    print(\`\${e.name}: \${e.exceptions.map((x) => x.message).join(', ')}\`);
  }
}

await aio.run(main);
`,
  },
  {
    id: 'as-completed',
    title: { en: 'asCompleted hands out tasks as they finish', zh: 'asCompleted 按完成顺序交出任务' },
    code: `// asCompleted in Python 3.13's \`async for\` form: next() gives each task
// itself as it finishes (null when all have), so a failure is one task's
// news, not the end of the loop. The timeout bounds the whole wait.
function* fetchPage(name, delay) {
  yield aio.sleep(delay);
  if (name === 'missing') throw new Error('404 not found');
  return \`\${name}.html\`;
}

function* main() {
  const pages = [['home', 0.6], ['about', 0.2], ['missing', 0.4], ['blog', 0.9]];
  const tasks = pages.map(([name, delay]) => aio.createTask(fetchPage(name, delay), { name }));
  const completed = aio.asCompleted(tasks, { timeout: 0.75 });
  try {
    for (let t; (t = yield completed.next()) !== null;) {
      if (t.exception()) print(\`\${t.getName()} failed: \${t.exception().message}\`);
      else print(\`\${t.getName()} done: \${t.result()}\`);
    }
  } catch (e) {
    if (!(e instanceof aio.TimeoutError)) throw e;
    const late = tasks.filter((t) => !t.done()).map((t) => t.getName());
    print(\`TimeoutError: \${late.join(', ')} still running (aio.run cancels it at the end)\`);
  }
}

await aio.run(main);
`,
  },
  {
    id: 'web-io',
    title: { en: 'aio.fetch and WebSocket: cancelling aborts on the wire', zh: 'aio.fetch 与 WebSocket：取消会真正中止请求' },
    code: `// aio.fetch and aio.WebSocket are the runtime's own I/O: cancelling the
// task that awaits one aborts the request, and the server sees it.
const wsUrl = location.origin.replace(/^http/, 'ws') + '/ws/echo';

function* main() {
  const id = \`scratch-\${Date.now()}\`;
  try {
    // A response that takes 2 s, given 0.3 s: waitFor cancels the fetch.
    yield aio.waitFor(aio.fetch(\`/api/slow?delay=2000&id=\${id}\`), 0.3);
  } catch (e) {
    print(\`\${e.name}: gave up after 0.3 s\`);
  }
  yield aio.sleep(0.1);  // let the server notice
  const report = yield (yield aio.fetch('/api/aborts')).json();
  print(\`the server saw the request aborted: \${report.aborted.some((a) => a.label === id)}\`);

  // async for m in ws: the echoes, until the server closes cleanly.
  const ws = yield aio.WebSocket.connect(wsUrl);
  for (const m of ['one', 'two', 'three', 'close:1000:bye']) ws.send(m);
  const messages = ws.messages();
  for (let m; (m = yield messages.next()) !== null;) print(\`echo: \${m}\`);
  print('closed cleanly');
}

await aio.run(main);
`,
  },
  {
    id: 'eager-debug',
    title: { en: 'Eager tasks and debug mode', zh: '急切任务与调试模式' },
    code: `// With the eager task factory, createTask runs a task's first step
// at once: a task that never suspends is done when createTask returns.
// Debug mode reports steps that block the loop, as asyncio does.
const cache = new Map([['home', '<h1>home (cached)</h1>']]);

function* load(page) {
  if (cache.has(page)) return cache.get(page);  // a hit: no yield
  yield aio.sleep(0.5);                         // a slow fetch
  cache.set(page, \`<h1>\${page}</h1>\`);
  return cache.get(page);
}

function* blocker() {
  const start = performance.now();
  while (performance.now() - start < 150);  // blocks the loop for 150 ms
  yield aio.sleep(0);
}

function* main() {
  const loop = aio.getRunningLoop();
  loop.setTaskFactory(aio.eagerTaskFactory);
  const hit = aio.createTask(load('home'), { name: 'home' });
  const miss = aio.createTask(load('about'), { name: 'about' });
  print(\`home done at once: \${hit.done()}, about: \${miss.done()}\`);
  print(yield miss);
  yield aio.createTask(blocker, { name: 'blocker' });  // warned about below
}

await aio.run(main, { debug: true });
`,
  },
];
