// fetch and WebSocket from JS tasks, against servers in this process: real
// I/O on the real clock. Cancelling a task aborts its request on the wire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { getEventListeners } from 'node:events';
import vm from 'node:vm';
import { WebSocketServer, WebSocket as NodeWebSocket } from 'ws';
import {
  createRuntime, CancelledError, FetchError, TimeoutError, ConnectionClosedOK, ConnectionClosedError, ValueError,
} from 'aio-asyncio';

const rt = await createRuntime({ WebSocket: NodeWebSocket });
const { sleep } = rt;

const aborted = [];
let inFlight = 0, peakInFlight = 0;
let requestsForHeaders = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/hello') return res.end('hello');
  if (req.url === '/json') {
    res.setHeader('content-type', 'application/json');
    res.setHeader('x-test', 'yes');
    return res.end(JSON.stringify({ a: 1, list: [1, 2] }));
  }
  if (req.url === '/echo') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    return req.on('end', () => res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'] ?? null,
      body: Buffer.concat(chunks).toString('hex') })));
  }
  if (req.url === '/headers') {
    requestsForHeaders++;
    return res.end(JSON.stringify({ method: req.method, a: req.headers['x-a'] ?? null, b: req.headers['x-b'] ?? null }));
  }
  if (req.url === '/bytes') return res.end(Buffer.from([0, 1, 2, 255]));
  if (req.url === '/stream') {
    let n = 0;
    const timer = setInterval(() => {
      res.write(`chunk${n}`);
      if (++n === 3) { clearInterval(timer); res.end(); }
    }, 5);
    return;
  }
  if (req.url === '/slow') {
    req.socket.on('close', () => aborted.push('/slow'));
    return;  // never answers
  }
  if (req.url === '/stall') {  // a first chunk, then nothing until the client goes away
    req.socket.on('close', () => aborted.push('/stall'));
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.write('first');
  }
  if (req.url === '/redirect') {
    res.writeHead(302, { location: '/hello' });
    return res.end();
  }
  if (req.url.startsWith('/work')) {
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    return setTimeout(() => { inFlight--; res.end('done'); }, 10);
  }
  res.statusCode = 404;
  res.end('not found');
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
const wsReceived = [];  // what the server got, as [isBinary, hex]
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    wsReceived.push([isBinary, Buffer.from(data).toString('hex')]);
    const text = isBinary ? null : data.toString();
    if (text === 'close-me') return ws.close(4001, 'asked to');
    if (text === 'bye') return ws.close(1000, 'done');
    ws.send(data, { binary: isBinary });
  });
});
await new Promise((r) => wss.on('listening', r));
const wsUrl = `ws://127.0.0.1:${wss.address().port}`;

test.after(() => {
  server.closeAllConnections();
  server.close();
  wss.close();
});

test('fetch: status, headers, text, json, bytes; 404 is a response', async () => {
  await rt.run(function* () {
    const r = yield rt.fetch(`${base}/hello`);
    assert.equal(r.status, 200);
    assert.equal(r.ok, true);
    assert.equal(yield r.text(), 'hello');
    const j = yield rt.fetch(`${base}/json`);
    assert.equal(j.headers.get('X-Test'), 'yes');
    assert.deepEqual(yield j.json(), { a: 1, list: [1, 2] });
    const b = yield rt.fetch(`${base}/bytes`);
    assert.deepEqual(Array.from(yield b.bytes()), [0, 1, 2, 255]);
    const missing = yield rt.fetch(`${base}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.ok, false);
    assert.equal(yield missing.text(), 'not found');
  });
});

test('fetch: method, headers and a text or binary body are sent', async () => {
  await rt.run(function* () {
    const r = yield rt.fetch(`${base}/echo`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"x":1}' });
    assert.deepEqual(yield r.json(), { method: 'POST', type: 'application/json', body: Buffer.from('{"x":1}').toString('hex') });
    const b = yield rt.fetch(`${base}/echo`, { method: 'PUT', body: new Uint8Array([9, 8, 7]) });
    assert.deepEqual(yield b.json(), { method: 'PUT', type: null, body: '090807' });
  });
});

test('fetch: the body as a stream, chunk by chunk', async () => {
  await rt.run(function* () {
    const r = yield rt.fetch(`${base}/stream`);
    const reader = r.body();
    let text = '';
    for (let c; (c = yield reader.read()) !== null;) text += Buffer.from(c).toString();
    assert.equal(text, 'chunk0chunk1chunk2');
  });
});

test('fetch: cancelling the task aborts the request on the wire; waitFor gives TimeoutError', async () => {
  await rt.run(function* () {
    const t = rt.createTask(function* () { return yield rt.fetch(`${base}/slow`); });
    yield sleep(0.05);
    t.cancel();
    let err;
    try { yield t; } catch (e) { err = e; }
    assert.ok(err instanceof CancelledError);
    let timeoutErr;
    try { yield rt.waitFor(rt.fetch(`${base}/slow`), 0.05); } catch (e) { timeoutErr = e; }
    assert.ok(timeoutErr instanceof TimeoutError);
  });
  for (let i = 0; i < 50 && aborted.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(aborted, ['/slow', '/slow']);  // the server saw both connections closed
});

test('fetch: a server that is down raises FetchError with the JS message', async () => {
  const closed = http.createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const port = closed.address().port;
  await new Promise((r) => closed.close(r));
  await assert.rejects(rt.run(function* () { yield rt.fetch(`http://127.0.0.1:${port}/`); }),
    (e) => e instanceof FetchError && e.errorName === 'TypeError' && /fetch failed/.test(e.message));
});

test('many concurrent fetches bounded by a Semaphore', async () => {
  peakInFlight = 0;
  const bodies = await rt.run(function* () {
    const sem = new rt.Semaphore(4);
    const one = (i) => function* () {
      return yield* rt.withLock(sem, function* () {
        const r = yield rt.fetch(`${base}/work/${i}`);
        return yield r.text();
      });
    };
    return yield rt.gather(...Array.from({ length: 20 }, (_, i) => one(i)));
  });
  assert.equal(bodies.length, 20);
  assert.ok(bodies.every((b) => b === 'done'));
  assert.equal(peakInFlight, 4);
});

test('WebSocket: echo of text and binary, queued messages, close', async () => {
  await rt.run(function* () {
    const ws = yield rt.WebSocket.connect(wsUrl);
    ws.send('hello');
    ws.send(new Uint8Array([1, 2, 3]));
    assert.equal(yield ws.receive(), 'hello');
    assert.deepEqual(Array.from(yield ws.receive()), [1, 2, 3]);
    ws.send('a');
    ws.send('b');
    yield sleep(0.05);
    assert.equal(ws.queued(), 2);  // arrived while nobody received: kept
    assert.equal(yield ws.receive(), 'a');
    assert.equal(yield ws.receive(), 'b');
    yield ws.close(1000, 'bye');
    let err;
    try { yield ws.receive(); } catch (e) { err = e; }
    assert.ok(err instanceof ConnectionClosedOK);
    assert.equal(err.code, 1000);
  });
});

test('WebSocket: a close by the server with an error code; cancelling receive loses nothing', async () => {
  await rt.run(function* () {
    const ws = yield rt.WebSocket.connect(wsUrl);
    const waiting = rt.createTask(function* () { return yield ws.receive(); });
    yield sleep(0.02);
    waiting.cancel();
    yield rt.gather(waiting, { returnExceptions: true });
    ws.send('kept');
    assert.equal(yield ws.receive(), 'kept');
    ws.send('close-me');
    let err;
    try { yield ws.receive(); } catch (e) { err = e; }
    assert.ok(err instanceof ConnectionClosedError);
    assert.equal(err.code, 4001);
    assert.equal(err.reason, 'asked to');
  });
});

test('WebSocket.messages(): the messages in order, queued ones too, then null at a clean close or ConnectionClosedError', async () => {
  await rt.run(function* () {
    // A clean close by the server ends the iteration after what it sent.
    const ws = yield rt.WebSocket.connect(wsUrl);
    for (const m of ['one', 'two', 'three', 'bye']) ws.send(m);
    yield sleep(0.05);  // the echoes and the close arrive before anyone iterates
    const got = [];
    const messages = ws.messages();
    for (let m; (m = yield messages.next()) !== null;) got.push(m);
    assert.deepEqual(got, ['one', 'two', 'three']);
    assert.equal(yield messages.next(), null);  // and stays ended
    // An abnormal close raises, after the messages before it.
    const ws2 = yield rt.WebSocket.connect(wsUrl);
    ws2.send('kept');
    ws2.send('close-me');
    const messages2 = ws2.messages();
    assert.equal(yield messages2.next(), 'kept');
    let err;
    try { yield messages2.next(); } catch (e) { err = e; }
    assert.ok(err instanceof ConnectionClosedError, String(err));
    assert.equal(err.code, 4001);
  });
});

test('the trace says what a JS task waits on: fetch, websocket, promise, lock, queue', async () => {
  const loop = new rt.EventLoop();
  const waits = new Set();
  loop.setTracer((ev) => { if (ev.kind === 'task_suspended') waits.add(`${ev.name}:${ev.detail}`); });
  await loop.run(function* () {
    const ws = yield rt.WebSocket.connect(wsUrl);
    const lock = new rt.Lock();
    yield lock.acquire();
    const queue = new rt.Queue();
    const tasks = [
      rt.createTask(function* () { yield (yield rt.fetch(`${base}/hello`)).text(); }, { name: 'fetcher' }),
      rt.createTask(function* () { yield ws.receive(); }, { name: 'receiver' }),
      rt.createTask(function* () { yield new Promise((r) => setTimeout(r, 10)); }, { name: 'promiser' }),
      rt.createTask(function* () { yield lock.acquire(); lock.release(); }, { name: 'locker' }),
      rt.createTask(function* () { yield queue.get(); }, { name: 'getter' }),
    ];
    yield sleep(0.05);
    ws.send('x');
    lock.release();
    queue.putNowait(1);
    yield rt.gather(...tasks);
    yield ws.close();
  });
  loop.close();
  for (const w of ['fetcher:fetch', 'receiver:websocket', 'promiser:promise', 'locker:lock', 'getter:queue.get'])
    assert.ok(waits.has(w), `${w} in ${[...waits].join(', ')}`);
});

// Bytes are an ArrayBuffer or a view of one, sent as the view's bytes (as JS
// WebSocket.send() and fetch() do): a Uint16Array's elements were truncated
// to one byte each, a DataView sent nothing, and a number n sent n zero bytes.
test('WebSocket.send and a fetch body: the bytes of any view; anything else is a TypeError', async () => {
  await rt.run(function* () {
    const ws = yield rt.WebSocket.connect(wsUrl);
    wsReceived.length = 0;
    for (const bad of [3, {}, null, [1, 2]]) assert.throws(() => ws.send(bad), TypeError);
    ws.send(new Uint16Array([0x0201, 0x0403]));
    assert.deepEqual(Array.from(yield ws.receive()), [1, 2, 3, 4]);
    ws.send(new DataView(new Uint8Array([9, 5, 6]).buffer, 1));
    assert.deepEqual(Array.from(yield ws.receive()), [5, 6]);
    ws.send(new Uint8Array([7, 8]).buffer);
    assert.deepEqual(Array.from(yield ws.receive()), [7, 8]);
    assert.deepEqual(wsReceived, [[true, '01020304'], [true, '0506'], [true, '0708']]);  // nothing else went out
    yield ws.close();
    const r = yield rt.fetch(`${base}/echo`, { method: 'POST', body: new Uint16Array([0x0201]) });
    assert.equal((yield r.json()).body, '0102');
    let err;
    try { yield rt.fetch(`${base}/echo`, { method: 'POST', body: 3 }); } catch (e) { err = e; }
    assert.ok(err instanceof TypeError, String(err));
    // No options at all, as JS fetch(url, null) allows.
    assert.equal(yield (yield rt.fetch(`${base}/hello`, null)).text(), 'hello');
  });
});

// The options as JS fetch() reads them, and a TypeError at the call for what
// it refuses: {headers: 5} sent no headers, {headers: 'ab'} the headers
// 0: a and 1: b, a pair ['x'] the header x: undefined, {method: {}} a GET.
// Unlike JS fetch(), a method or body that is not a string or bytes is not
// stringified ({body: 42} sending "42", {method: 5} the method "5").
test('fetch: headers of every kind JS fetch() takes; options of the wrong type are TypeErrors at the call', async () => {
  const url = `${base}/headers`;
  await rt.run(function* () {
    const sent = function* (init) { return yield (yield rt.fetch(url, init)).json(); };
    const ab = { method: 'GET', a: '1', b: 'two' };
    assert.deepEqual(yield* sent({ headers: { 'X-A': 1, 'x-b': 'two' } }), ab);
    assert.deepEqual(yield* sent({ headers: [['X-A', '1'], ['x-b', 'two']] }), ab);
    assert.deepEqual(yield* sent({ headers: new Map([['X-A', '1'], ['x-b', 'two']]) }), ab);
    assert.deepEqual(yield* sent({ headers: new Headers({ 'X-A': '1', 'x-b': 'two' }) }), ab);
    assert.deepEqual(yield* sent({ headers: [new Set(['x-a', '1'])] }), { method: 'GET', a: '1', b: null });
    assert.deepEqual(yield* sent({ method: null, headers: null, body: undefined }), { method: 'GET', a: null, b: null });
  });
  const before = requestsForHeaders;
  const bad = [
    [5, /^fetch\(\) options must be an object, not 5$/],
    ['x', /options must be an object, not x$/],
    [{ method: {} }, /^fetch\(\) method must be a string, not \[object Object\]$/],
    [{ method: 5 }, /method must be a string, not 5$/],
    [{ headers: 5 }, /^fetch\(\) headers must be an object of names to values, or an iterable .* pairs, not 5$/],
    [{ headers: 'ab' }, /headers must be .*, not ab$/],
    [{ headers: true }, /headers must be .*, not true$/],
    [{ headers: [['x-a']] }, /^fetch\(\) headers: each pair must be \[name, value\], not x-a$/],
    [{ headers: [['x-a', '1', '2']] }, /each pair must be \[name, value\], not x-a,1,2$/],
    [{ headers: ['ab'] }, /each pair must be \[name, value\], not ab$/],
    [{ headers: [null] }, /each pair must be \[name, value\], not null$/],
    [{ method: 'POST', body: 42 }, /^fetch\(\) body must be a string or bytes \(an ArrayBuffer or a view\), not 42$/],
    [{ method: 'POST', body: {} }, /body must be .*, not \[object Object\]$/],
    [{ method: 'POST', body: [1, 2] }, /body must be .*, not 1,2$/],
    [{ method: 'POST', body: new Blob(['x']) }, /body must be .*, not \[object Blob\]$/],
  ];
  for (const [init, message] of bad) {
    // Thrown by the call itself, before anything is yielded or sent.
    assert.throws(() => rt.fetch(url, init), (e) => e instanceof TypeError && message.test(e.message),
      `fetch(url, ${JSON.stringify(init)})`);
  }
  assert.equal(requestsForHeaders, before);
});

// Browser rules: code 1000 or 3000-4999 (an integer), reason at most 123
// bytes of UTF-8. 1000.5 was closed as 1000.
test('WebSocket.close: an invalid code or reason is an error, and the socket stays usable', async () => {
  await rt.run(function* () {
    const ws = yield rt.WebSocket.connect(wsUrl);
    for (const [code, reason, cls] of [[1000.5, '', TypeError], [NaN, '', TypeError], ['1000', '', TypeError],
      [1005, '', ValueError], [2999, '', ValueError], [5000, '', ValueError], [2 ** 40, '', ValueError],
      [4000, 'é'.repeat(62), ValueError]]) {
      let err;
      try { yield ws.close(code, reason); } catch (e) { err = e; }
      assert.ok(err instanceof cls, `close(${code}): ${err}`);
    }
    ws.send('still open');
    assert.equal(yield ws.receive(), 'still open');
    yield ws.close(4000, 'é'.repeat(61));  // 122 bytes
    yield ws.close(4000);  // closed already: nothing to do
    assert.throws(() => ws.send('late'), ConnectionClosedError);  // 4000: not a normal close
  });
});

// rt.run() frees its loop when it returns; a Response or WebSocket kept from
// it used to reach that loop through a dangling pointer (freed memory, or
// whichever loop was allocated at the same address). Each wait now belongs
// to the loop that awaits it.
// A result that JS delivers while a far timer is pending (waitFor's) wakes
// the loop at once: it was held until the timer when the host had been woken
// during the slice that started the read (the hop it sent looked stale next
// to the timer set at the end of that slice).
test('a body read under waitFor(..., 10) returns as soon as the body is there, not at the timeout', async () => {
  await rt.run(function* () {
    const r = yield rt.fetch(`${base}/hello`);
    yield rt.sleep(0.05);  // the body has arrived by now
    const t0 = performance.now();
    assert.equal(yield rt.waitFor(r.text(), 10), 'hello');
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
    const r2 = yield rt.fetch(`${base}/hello`);
    const t1 = performance.now();
    assert.equal(yield rt.waitFor(r2.text(), 10), 'hello');
    assert.ok(performance.now() - t1 < 1000);
  });
});

test('a Response and a WebSocket kept from one rt.run() work in the next one', async () => {
  let r, ws;
  await rt.run(function* () {
    r = yield rt.fetch(`${base}/hello`);
    ws = yield rt.WebSocket.connect(wsUrl);
    ws.send('between runs');  // its echo arrives while no loop runs: queued
  });
  const other = new rt.EventLoop();  // likely at the freed loop's address
  for (let i = 0; i < 50 && ws.queued() === 0; i++) await new Promise((res) => setTimeout(res, 5));
  assert.equal(ws.queued(), 1);
  await rt.run(function* () {
    assert.equal(yield rt.waitFor(r.text(), 2), 'hello');
    assert.equal(yield rt.waitFor(ws.receive(), 2), 'between runs');
    ws.send('again');
    assert.equal(yield rt.waitFor(ws.receive(), 2), 'again');
    yield rt.waitFor(ws.close(), 2);
  });
  other.close();
});

// ---- fetch's RequestInit options: signal, redirect, the rest passed on ----

const waitFor = async (check) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};
// What `yield op` threw, or the string 'no error'.
function* failure(op) {
  try {
    yield op;
  } catch (e) {
    return e;
  }
  return 'no error';
}

test('fetch signal: aborted before the call, the result fails at once with its reason; nothing is sent', async () => {
  const before = requestsForHeaders;
  await rt.run(function* () {
    const reason = new Error('not wanted');
    const op = rt.fetch(`${base}/headers`, { signal: AbortSignal.abort(reason) });  // no throw here: it is the result that fails
    assert.equal(yield* failure(op), reason);
    const e = yield* failure(rt.fetch(`${base}/headers`, { signal: AbortSignal.abort() }));
    assert.ok(e instanceof DOMException && e.name === 'AbortError', String(e));
  });
  assert.equal(requestsForHeaders, before);
});

test('fetch signal: aborted mid-request, the request is aborted on the wire and fails with the reason', async () => {
  aborted.length = 0;
  const ctrl = new AbortController();
  const reason = new Error('changed my mind');
  await rt.run(function* () {
    const t = rt.createTask(function* () { return yield* failure(rt.fetch(`${base}/slow`, { signal: ctrl.signal })); });
    yield sleep(0.05);
    ctrl.abort(reason);
    // The reason itself, as JS fetch() rejects (not a FetchError, not CancelledError). waitFor: a
    // signal that did nothing fails the test rather than hanging it.
    assert.equal(yield rt.waitFor(t, 5), reason);
    // The default reason: a DOMException AbortError.
    const c2 = new AbortController();
    const t2 = rt.createTask(function* () { return yield* failure(rt.fetch(`${base}/slow`, { signal: c2.signal })); });
    yield sleep(0.05);
    c2.abort();
    const e = yield rt.waitFor(t2, 5);
    assert.ok(e instanceof DOMException && e.name === 'AbortError', String(e));
  });
  await waitFor(() => aborted.length === 2);
  assert.deepEqual(aborted, ['/slow', '/slow']);  // the server saw both connections closed
  assert.equal(getEventListeners(ctrl.signal, 'abort').length, 0);
});

test('fetch signal: aborted during a streamed body, reads fail with the reason and the server sees the abort', async () => {
  aborted.length = 0;
  const ctrl = new AbortController();
  const reason = new Error('enough');
  await rt.run(function* () {
    const r = yield rt.fetch(`${base}/stall`, { signal: ctrl.signal });
    const reader = r.body();
    assert.equal(Buffer.from(yield reader.read()).toString(), 'first');
    const t = rt.createTask(function* () { return yield* failure(reader.read()); });  // waits: the server sends no more
    yield sleep(0.05);
    ctrl.abort(reason);
    assert.equal(yield rt.waitFor(t, 5), reason);
    assert.equal(yield* failure(reader.read()), reason);  // and every later read, as an errored JS stream
    // A body not being read when the signal aborts: aborted at once, read later.
    const c2 = new AbortController();
    const r2 = yield rt.fetch(`${base}/stall`, { signal: c2.signal });
    c2.abort(reason);
    assert.equal(yield* failure(rt.waitFor(r2.text(), 5)), reason);
  });
  await waitFor(() => aborted.length === 2);
  assert.deepEqual(aborted, ['/stall', '/stall']);
  assert.equal(getEventListeners(ctrl.signal, 'abort').length, 0);
});

test('fetch signal: cancelling the task still raises CancelledError; many fetches on one signal leave no listener', async () => {
  aborted.length = 0;
  const ctrl = new AbortController();
  const { signal } = ctrl;
  const closed = http.createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = closed.address().port;
  await new Promise((r) => closed.close(r));
  await rt.run(function* () {
    const t = rt.createTask(function* () { return yield rt.fetch(`${base}/slow`, { signal }); });
    yield sleep(0.05);
    t.cancel();
    assert.ok((yield* failure(t)) instanceof CancelledError);
    // Every way a fetch ends: a body read whole, read as a stream, a 404,
    // no response, a body never read (its Response disposed), a timeout.
    const one = (i) => function* () {
      switch (i % 6) {
        case 0: return yield (yield rt.fetch(`${base}/hello`, { signal })).text();
        case 1: {
          const reader = (yield rt.fetch(`${base}/stream`, { signal })).body();
          while ((yield reader.read()) !== null);
          return 'streamed';
        }
        case 2: {
          const r = yield rt.fetch(`${base}/nope`, { signal });
          yield r.text();
          return r.status;
        }
        case 3: return (yield* failure(rt.fetch(`http://127.0.0.1:${deadPort}/`, { signal }))).constructor.name;
        case 4: { (yield rt.fetch(`${base}/hello`, { signal })).dispose(); return 'disposed'; }
        default: return (yield* failure(rt.waitFor(rt.fetch(`${base}/slow`, { signal }), 0.01))).constructor.name;
      }
    };
    const results = yield rt.gather(...Array.from({ length: 60 }, (_, i) => one(i)));
    assert.deepEqual(results.slice(0, 6), ['hello', 'streamed', 404, 'FetchError', 'disposed', 'TimeoutError']);
  });
  assert.equal(getEventListeners(signal, 'abort').length, 0);
  assert.equal(signal.aborted, false);
  await waitFor(() => aborted.length > 0);
  assert.equal(aborted[0], '/slow');  // the cancelled fetch (the timed out ones may not have reached the server)
});

// JS fetch() keeps following its signal until the body is consumed: an abort
// after the response arrived errors the body stream and closes the
// connection, whether or not anyone is reading. Ours listened only while a
// read was in flight, so the download went on until the next read.
test('fetch signal: aborted while the body sits unread, the connections close at once and later reads fail with the reason', async () => {
  aborted.length = 0;
  const ctrl = new AbortController();
  const reason = new Error('no longer needed');
  await rt.run(function* () {
    const rs = [];
    for (let i = 0; i < 4; i++) rs.push(yield rt.fetch(`${base}/stall`, { signal: ctrl.signal }));
    ctrl.abort(reason);
    // No read: the abort alone closes them.
    const stalled = () => aborted.filter((p) => p === '/stall').length;
    for (let i = 0; i < 200 && stalled() < 4; i++) yield sleep(0.01);
    assert.equal(stalled(), 4);
    assert.equal(yield* failure(rs[0].text()), reason);
    assert.equal(yield* failure(rs[1].bytes()), reason);
    assert.equal(yield* failure(rs[3].body().read()), reason);
    let e = 'no error';
    try { yield* rs[2].json(); } catch (x) { e = x; }
    assert.equal(e, reason);
  });
  assert.equal(getEventListeners(ctrl.signal, 'abort').length, 0);
});

test('fetch signal: listened to until the body is read to the end or the Response disposed, then no more', async () => {
  const { signal } = new AbortController();
  const listeners = () => getEventListeners(signal, 'abort').length;
  await rt.run(function* () {
    const rs = [];
    for (const path of ['/hello', '/bytes', '/json', '/stream', '/nope', '/hello'])
      rs.push(yield rt.fetch(`${base}${path}`, { signal }));
    assert.equal(listeners(), 6);  // every unread body can still be aborted
    yield rt.fetch(`${base}/hello`, { method: 'HEAD', signal });
    assert.equal(listeners(), 6);  // no body: nothing to abort
    assert.equal(yield rs[0].text(), 'hello');
    assert.equal((yield rs[1].bytes()).length, 4);
    assert.deepEqual(yield* rs[2].json(), { a: 1, list: [1, 2] });
    const reader = rs[3].body();
    while ((yield reader.read()) !== null);
    assert.equal(listeners(), 2);
    assert.equal(yield rs[4].text(), 'not found');
    rs[5].dispose();
    assert.equal(listeners(), 0);
    for (let i = 0; i < 40; i++) assert.equal(yield (yield rt.fetch(`${base}/hello`, { signal })).text(), 'hello');
    assert.equal(listeners(), 0);
  });
  assert.equal(listeners(), 0);
});

// Node has one AbortSignal class for all its vm contexts (a new context has
// none), so the package meets a foreign signal when the AbortSignal global
// it sees is another realm's, as under jsdom: simulated by putting a vm
// context's class there while fetch() checks its options.
test('fetch signal: an AbortSignal of another realm is accepted; objects that only look like one are TypeErrors', async () => {
  aborted.length = 0;
  const ctrl = new AbortController();
  const reason = new Error('from elsewhere');
  const own = globalThis.AbortSignal;
  let op;
  globalThis.AbortSignal = vm.runInNewContext('(class AbortSignal extends EventTarget {})', { EventTarget });
  try {
    assert.equal(ctrl.signal instanceof AbortSignal, false);
    op = rt.fetch(`${base}/stall`, { signal: ctrl.signal });
  } finally {
    globalThis.AbortSignal = own;
  }
  await rt.run(function* () {
    const r = yield op;
    ctrl.abort(reason);
    assert.equal(yield* failure(r.text()), reason);
  });
  await waitFor(() => aborted.includes('/stall'));
  assert.ok(aborted.includes('/stall'));
  const lookalikes = [Object.create(AbortSignal.prototype),
    { [Symbol.toStringTag]: 'AbortSignal', aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {} }];
  for (const signal of lookalikes)
    assert.throws(() => rt.fetch(`${base}/hello`, { signal }), (e) => e instanceof TypeError &&
      /^fetch\(\) signal must be an AbortSignal, not \[object (Object|AbortSignal)\]$/.test(e.message));
});

test("fetch redirect: 'manual' returns the 3xx response, 'error' fails on a redirect, 'follow' follows", async () => {
  await rt.run(function* () {
    const manual = yield rt.fetch(`${base}/redirect`, { redirect: 'manual' });
    assert.equal(manual.status, 302);
    assert.equal(manual.type, 'basic');  // Node's; a browser's is 'opaqueredirect', status 0 (browser_smoke.mjs)
    assert.equal(manual.headers.get('location'), '/hello');
    const e = yield* failure(rt.fetch(`${base}/redirect`, { redirect: 'error' }));
    assert.ok(e instanceof FetchError && /redirect/.test(e.message), String(e));
    const followed = yield rt.fetch(`${base}/redirect`, { redirect: 'follow' });
    assert.equal(followed.redirected, true);
    assert.equal(yield followed.text(), 'hello');
  });
});

// JS fetch() would reject these later; here they throw at the call, before
// anything is sent: JS's own TypeError for the values it checks (through a
// Request), ours for an option RequestInit does not have.
test('fetch: bad option values and unknown options throw a TypeError at the call', async () => {
  const url = `${base}/headers`;
  const before = requestsForHeaders;
  const bad = [
    [{ redirect: 'nope' }, /nope/],
    [{ mode: 'navigate' }, /navigate/],
    [{ credentials: 'sometimes' }, /sometimes/],
    [{ cache: 'x' }, /x is not/],
    [{ referrerPolicy: 'x' }, /x is not/],
    [{ referrer: 'no url' }, /Referrer/],
    [{ headers: { 'bad name': '1' } }, /bad name.*header name/],
    [{ headers: [['x-a', 'one\0two']] }, /header value/],
    [{ method: 'GET X' }, /not a valid HTTP method/],
    [{ body: 'x' }, /GET\/HEAD method cannot have body/],
    [{ signal: 5 }, /^fetch\(\) signal must be an AbortSignal, not 5$/],
    [{ signal: new AbortController() }, /signal must be an AbortSignal/],
    [{ redirects: 'manual' }, /^fetch\(\) has no option redirects: the options are method, headers, body, signal, redirect, /],
    [{ referer: '/x' }, /no option referer/],
  ];
  for (const [init, message] of bad) {
    assert.throws(() => rt.fetch(url, init), (e) => e instanceof TypeError && message.test(e.message),
      `fetch(url, ${JSON.stringify(init)})`);
  }
  assert.equal(requestsForHeaders, before);
});

// Node's fetch ignores some of these (cache, priority, keepalive, mode), so
// what reaches JS fetch() is checked by wrapping it.
test('fetch: credentials, mode, cache, referrer, referrerPolicy, integrity, keepalive, priority reach JS fetch()', async () => {
  const inits = [];
  const platformFetch = globalThis.fetch;
  globalThis.fetch = (url, init) => {
    inits.push(init);
    return platformFetch(url, init);
  };
  const given = { credentials: 'include', mode: 'cors', cache: 'no-store', referrer: 'about:client',
    referrerPolicy: 'no-referrer', integrity: 'sha256-LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=', keepalive: true, priority: 'high', redirect: 'follow' };
  const signal = new AbortController().signal;
  try {
    await rt.run(function* () {
      yield (yield rt.fetch(`${base}/hello`, { ...given, signal })).text();
      yield (yield rt.fetch(`${base}/hello`, { credentials: null, mode: undefined })).text();
    });
  } finally {
    globalThis.fetch = platformFetch;
  }
  assert.equal(inits.length, 2);
  for (const [k, v] of Object.entries(given)) assert.equal(inits[0][k], v, k);
  // The request's own AbortController signal (which cancellation aborts), linked to the caller's.
  assert.ok(inits[0].signal instanceof AbortSignal && inits[0].signal !== signal);
  for (const k of Object.keys(given)) assert.equal(k in inits[1], false, k);  // null and undefined: JS's defaults
});
