// The npm package's JS API (generator tasks driven by aio in wasm) on the
// workloads of the Node anchor (/work/shared/anchors/js/bench.mjs), same
// sizes, for tests/bench/run_wasm.sh (implementation "aio-js").
// Usage: node js_api_bench.mjs WORKLOAD [SCALE]
//   WORKLOAD: spawn | switch | call_soon | timers   SCALE: divides the sizes
// Prints: bench=<name> impl=aio-js value=<number> unit=<unit>
// Needs the built package (cmake --build --preset wasm --target aio_npm).
import { createRuntime } from '../../../wasm-bindings/dist/index.js';

const SPAWN_N = 200_000;
const SWITCH_TASKS = 100, SWITCH_YIELDS = 10_000;
const TIMERS_N = 100_000, TIMERS_SPAN_S = 1.0;
const CALLBACKS_N = 1_000_000;

const [workload, scaleArg] = process.argv.slice(2);
const scale = Number(scaleArg || 1);
const now = () => performance.now();
const fmt = (v) => Number(v.toPrecision(6)).toString();
const emit = (bench, value, unit) => console.log(`bench=${bench} impl=aio-js value=${fmt(value)} unit=${unit}`);
const timerDelay = (i) => ((i * 7919) % 1001) / 1000 * TIMERS_SPAN_S;

const rt = await createRuntime();
const { sleep } = rt;

function* trivial(i) { return i; }

function* spawn() {
  const n = SPAWN_N / scale;
  const t0 = now();
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = rt.createTask(trivial(i));
  let sum = 0;
  for (const t of tasks) sum += yield t;
  const dt = (now() - t0) / 1e3;
  if (sum !== n * (n - 1) / 2) throw new Error('spawn: wrong sum');
  emit('spawn', n / dt, 'tasks/s');
}

function* yielder(k) {
  for (let j = 0; j < k; j++) yield sleep(0);
  return k;
}
function* switchBench() {
  const k = SWITCH_YIELDS / scale;
  const t0 = now();
  const tasks = [];
  for (let t = 0; t < SWITCH_TASKS; t++) tasks.push(rt.createTask(yielder(k)));
  const res = yield rt.gather(...tasks);
  const dt = (now() - t0) / 1e3;
  if (res.reduce((a, b) => a + b, 0) !== SWITCH_TASKS * k) throw new Error('switch: bad count');
  emit('switch', SWITCH_TASKS * k / dt, 'yields/s');
}

function* callSoon() {
  const n = CALLBACKS_N / scale;
  const loop = rt.getRunningLoop();
  const done = loop.createFuture();
  let count = 0;
  const cb = () => { if (++count === n) done.setResult(); };
  const t0 = now();
  for (let i = 0; i < n; i++) loop.callSoon(cb);
  yield done;
  const dt = (now() - t0) / 1e3;
  if (count !== n) throw new Error('call_soon: bad count');
  emit('call_soon', n / dt, 'callbacks/s');
}

function* sleeper(d) {
  const t = now();
  yield sleep(d);
  return now() - t - d * 1e3;  // lateness, ms
}
function* timers() {
  const n = TIMERS_N / scale;
  const t0 = now();
  const tasks = new Array(n);
  for (let i = 0; i < n; i++) tasks[i] = rt.createTask(sleeper(timerDelay(i)));
  let late = 0;
  for (const t of tasks) late += yield t;
  const wall = now() - t0;
  emit('timers_overhead', wall - TIMERS_SPAN_S * 1e3, 'ms');
  emit('timers_mean_lateness', late / n, 'ms');
}

const workloads = { spawn, switch: switchBench, call_soon: callSoon, timers };
if (!workloads[workload]) {
  console.error('usage: node js_api_bench.mjs spawn|switch|call_soon|timers [SCALE]');
  process.exit(2);
}
await rt.run(workloads[workload]);
