// JS-generator tasks against plain Node async functions, same workloads:
//   spawn:  create N tasks (one generator function, N generators), await each;
//   switch: two tasks each yielding N times (aio: sleep(0), one trip through
//           the loop; Node: `await null`, one microtask).
// Prints microseconds per task / per step (best of R rounds) and the ratios.
// Usage: node tests/node/bench_tasks.mjs [N] [R]   (after building aio_wasm)
import { createRuntime } from 'aio-asyncio';

const N = Number(process.argv[2] || 20000);
const R = Number(process.argv[3] || 25);
const rt = await createRuntime();
const loop = new rt.EventLoop({ clock: 'virtual' });
const best = {};
async function timeit(name, f) {
  const t0 = performance.now();
  await f();
  best[name] = Math.min(best[name] ?? Infinity, performance.now() - t0);
}
function* child(i) { return i; }
async function asyncChild(i) { await null; return i; }
function* switcher() { for (let i = 0; i < N; i++) yield rt.sleep(0); }
async function asyncSwitcher() { for (let i = 0; i < N; i++) await null; }

for (let r = 0; r < R; r++) {
  await timeit('aio spawn', () => loop.run(function* () {
    const ts = [];
    for (let i = 0; i < N; i++) ts.push(rt.createTask(child(i)));
    for (const t of ts) yield t;
  }));
  await timeit('node spawn', async () => {
    const ps = [];
    for (let i = 0; i < N; i++) ps.push(asyncChild(i));
    for (const p of ps) await p;
  });
  await timeit('aio switch', () => loop.run(function* () {
    const a = rt.createTask(switcher), b = rt.createTask(switcher);
    yield a;
    yield b;
  }));
  await timeit('node switch', () => Promise.all([asyncSwitcher(), asyncSwitcher()]));
}
const us = (k, per) => (best[k] / per) * 1000;
console.log(`spawn:  aio ${us('aio spawn', N).toFixed(2)} us/task, node ${us('node spawn', N).toFixed(2)} us/task, ` +
  `ratio ${(best['aio spawn'] / best['node spawn']).toFixed(2)}`);
console.log(`switch: aio ${us('aio switch', 2 * N).toFixed(2)} us/step, node ${us('node switch', 2 * N).toFixed(2)} us/step, ` +
  `ratio ${(best['aio switch'] / best['node switch']).toFixed(2)}`);
