// The playground's own test endpoints, served by the Vite dev and preview
// servers (a plugin), so the browser I/O demos work offline on localhost:
//
//   GET  /api/slow?delay=MS&size=N&id=X   waits, then sends N bytes of text
//   GET  /api/bytes?n=N&chunk=C&interval=MS  streams N bytes in chunks
//   GET  /api/image/K?delay=MS&size=N      a fake "image" (the seeds' downloads)
//   GET  /api/status/CODE                  responds with that HTTP status
//   GET  /api/aborts                       what the server saw: requests aborted
//                                          before their response finished (JSON)
//   POST /api/aborts/reset                 forget them
//   WS   /ws/echo                          echoes every message; "close:CODE:REASON"
//                                          makes the server close with that code
//   WS   /ws/chat                          broadcasts each message to every client
//
// The abort log is how the end-to-end tests check that cancelling a task in
// the page really aborts the HTTP request: the server sees the connection
// close before the response was sent.
import { WebSocketServer } from 'ws';

const MAX_DELAY_MS = 60_000;
const MAX_SIZE = 16 * 1024 * 1024;

function clampInt(value, fallback, min, max) {
  const n = Number.parseInt(value ?? '', 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

function makeState() {
  return { aborted: [], completed: 0, inFlight: 0, maxInFlight: 0, completedSpans: [] };
}

const MAX_SPANS = 10_000;

// The most requests that overlapped in time among those that completed. An
// aborted request's socket close reaches the server a little after the page
// has released its semaphore slot, so the raw in-flight count can briefly be
// one over the page's limit; this count is the one the limit governs.
function maxOverlap(spans) {
  const edges = [];
  for (const [start, end] of spans) edges.push([start, 1], [end, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // an end before a start at the same instant
  let now = 0;
  let max = 0;
  for (const [, delta] of edges) max = Math.max(max, (now += delta));
  return max;
}

function report(state) {
  const { completedSpans, ...rest } = state;
  return { ...rest, maxInFlightCompleted: maxOverlap(completedSpans) };
}

function track(state, req, res, label) {
  state.inFlight++;
  state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
  const start = performance.now();
  let settled = false;
  const settle = (aborted) => {
    if (settled) return;
    settled = true;
    state.inFlight--;
    if (aborted) {
      state.aborted.push({ url: req.url, label, at: Date.now() });
    } else {
      state.completed++;
      if (state.completedSpans.length >= MAX_SPANS) state.completedSpans.shift();
      state.completedSpans.push([start, performance.now()]);
    }
  };
  res.on('finish', () => settle(false));
  res.on('close', () => settle(!res.writableFinished));
  return () => settled;
}

function sendText(res, status, text, type = 'text/plain; charset=utf-8') {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

function handle(state, req, res) {
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname;
  const q = url.searchParams;

  if (path === '/api/aborts' && req.method === 'GET') {
    return sendText(res, 200, JSON.stringify(report(state)), 'application/json');
  }
  if (path === '/api/aborts/reset' && req.method === 'POST') {
    Object.assign(state, makeState());
    return sendText(res, 200, '{}', 'application/json');
  }
  const status = path.match(/^\/api\/status\/(\d{3})$/);
  if (status) {
    const code = clampInt(status[1], 500, 100, 599);
    return sendText(res, code, `status ${code}\n`);
  }
  const image = path.match(/^\/api\/image\/(\d+)$/);
  if (path === '/api/slow' || image) {
    const delay = clampInt(q.get('delay'), image ? 500 : 1000, 0, MAX_DELAY_MS);
    const size = clampInt(q.get('size'), image ? 4096 : 64, 0, MAX_SIZE);
    const label = image ? `image ${image[1]}` : q.get('id') || 'slow';
    const isDone = track(state, req, res, label);
    const timer = setTimeout(() => {
      if (isDone()) return;
      res.statusCode = 200;
      res.setHeader('Content-Type', image ? 'application/octet-stream' : 'text/plain; charset=utf-8');
      res.setHeader('Content-Length', String(size));
      res.setHeader('Cache-Control', 'no-store');
      res.end(Buffer.alloc(size, image ? 0xab : 0x61));
    }, delay);
    res.on('close', () => clearTimeout(timer));
    return;
  }
  if (path === '/api/bytes') {
    const n = clampInt(q.get('n'), 65536, 0, MAX_SIZE);
    const chunk = clampInt(q.get('chunk'), 8192, 1, 1 << 20);
    const interval = clampInt(q.get('interval'), 50, 0, 10_000);
    const isDone = track(state, req, res, 'bytes');
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(n));
    res.setHeader('Cache-Control', 'no-store');
    let sent = 0;
    const step = () => {
      if (isDone()) return;
      const size = Math.min(chunk, n - sent);
      sent += size;
      if (sent >= n) return res.end(Buffer.alloc(size, 0x62));
      res.write(Buffer.alloc(size, 0x62));
      setTimeout(step, interval);
    };
    step();
    return;
  }
  return false;
}

function attachWebSockets(httpServer) {
  const echo = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const chat = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  echo.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? null : data.toString();
      const close = text && text.match(/^close:(\d{4}):?(.*)$/);
      if (close) return ws.close(Number(close[1]), close[2]);
      ws.send(data, { binary: isBinary });
    });
  });
  chat.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      for (const client of chat.clients) if (client.readyState === 1) client.send(data, { binary: isBinary });
    });
  });
  httpServer.on('upgrade', (req, socket, head) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    const server = pathname === '/ws/echo' ? echo : pathname === '/ws/chat' ? chat : null;
    if (!server) return;  // Vite's own HMR socket and others
    server.handleUpgrade(req, socket, head, (ws) => server.emit('connection', ws, req));
  });
}

/** The Vite plugin: the same endpoints in `vite` (dev) and `vite preview`. */
export function playgroundEndpoints() {
  const state = makeState();
  const install = (server) => {
    server.middlewares.use((req, res, next) => {
      if (!req.url.startsWith('/api/')) return next();
      if (handle(state, req, res) === false) sendText(res, 404, 'no such endpoint\n');
    });
    if (server.httpServer) attachWebSockets(server.httpServer);
  };
  return {
    name: 'aio-playground-endpoints',
    configureServer: install,
    configurePreviewServer: install,
  };
}
