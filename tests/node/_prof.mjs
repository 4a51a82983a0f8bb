import { createRuntime } from 'aio-asyncio';
const rt = await createRuntime();
const N = 200000;
const loop = new rt.EventLoop({clock:'virtual'});
const mode = process.argv[2];
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  if (mode === 'switch') await loop.run(function* () { const w = function* () { for (let i = 0; i < N; i++) yield rt.sleep(0); }; const t1 = rt.createTask(w), t2 = rt.createTask(w); yield t1; yield t2; });
  else await loop.run(function* () { const ts = []; for (let i = 0; i < N / 4; i++) ts.push(rt.createTask(function* () { return i; })); for (const t of ts) yield t; });
  console.log(mode, (performance.now() - t0).toFixed(1));
}
