// The package in a browser: a static server gives wasm-bindings/ and a page
// that imports index.js as an ES module; headless Chromium (Playwright, the
// system's chromium) runs it. Checks that the Emscripten loader finds
// aio.wasm by URL, that the loop runs on the page's event loop, and that a
// task awaits a real fetch() (cancellation and errors included), and that
// loadDemos() imports the demo runner (demos.js) and its module lazily.
// Also what only a browser shows of rt.fetch(): redirect 'manual' gives an
// opaque-redirect Response, and an iframe's AbortSignal (another realm) is
// taken and aborts the request.
// Usage: node tests/node/browser_smoke.mjs   (after building aio_wasm)
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../wasm-bindings');
const page = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body><pre id="out">running</pre>
<script type="module">
import { createRuntime, CancelledError } from '/pkg/index.js';
const out = document.getElementById('out');
try {
  const rt = await createRuntime();
  const seen = [];
  const result = await rt.run(function* () {
    const r = yield fetch('/data');              // a Promise, awaited by the task
    const text = yield r.text();
    const slow = rt.createTask(function* () {
      try { yield fetch('/slow'); } finally { seen.push('finally'); }
    });
    yield rt.sleep(0.05);
    slow.cancel();
    try { yield slow; } catch (e) { seen.push(e instanceof CancelledError ? 'cancelled' : String(e)); }
    const q = new rt.Queue();
    const consumer = rt.createTask(function* () { return (yield q.get()) + (yield q.get()); });
    yield q.put(20); yield q.put(22);
    const moved = yield rt.fetch('/moved', { redirect: 'manual' });
    const opaque = [moved.type, moved.status, moved.headers.entries().length, yield moved.text()].join(' ');
    const frame = document.body.appendChild(document.createElement('iframe'));
    const ctrl = new frame.contentWindow.AbortController();
    const held = yield rt.fetch('/stall', { signal: ctrl.signal });
    const reason = new Error('from the iframe');
    ctrl.abort(reason);
    let readError;
    try { yield held.text(); } catch (e) { readError = e; }
    return [text, yield consumer, seen.join(','), opaque, readError === reason];
  });
  const lines = [];
  const demos = await rt.loadDemos();
  const status = await demos.run('say-after', {}, { onOutput: (l) => lines.push(l) });
  out.textContent = 'result ' + JSON.stringify([...result, status, lines.at(-1)]);
} catch (e) {
  out.textContent = 'error ' + e;
}
</script>`;

const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
const server = http.createServer(async (req, res) => {
  if (req.url === '/') return res.end(page);
  if (req.url === '/data') return res.end('hello from the server');
  if (req.url === '/slow') return;  // never answers: the task is cancelled while waiting
  if (req.url === '/moved') {
    res.writeHead(302, { location: '/data' });
    return res.end();
  }
  if (req.url === '/stall') {  // headers and a first chunk, then nothing until the client goes away
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.write('first');
  }
  if (req.url.startsWith('/pkg/')) {
    try {
      const file = path.join(pkg, req.url.slice(5));
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
      return res.end(body);
    } catch {
      res.writeHead(404);
      return res.end();
    }
  }
  res.writeHead(404);
  res.end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
let text;
try {
  const p = await browser.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await p.goto(url);
  await p.waitForFunction(() => document.getElementById('out').textContent !== 'running', null, { timeout: 30000 });
  text = await p.textContent('#out');
  if (errors.length) console.log('page errors:', errors);
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
const expected = 'result ["hello from the server",42,"finally,cancelled","opaqueredirect 0 0 ",true,0,"finished at 2.000"]';
console.log(text);
if (text !== expected) {
  console.log('expected:', expected);
  process.exit(1);
}
console.log('browser smoke test: ok');
