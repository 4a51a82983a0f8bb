// The package's size budget (issue 3): what createRuntime() loads by
// default — dist/aio.wasm, dist/aio.mjs (Emscripten's loader) and
// dist/index.js — is at most 300 KB, and at most 100 KB gzipped (gzip -9),
// counting KB as 1,000 bytes, the stricter reading. The demos and threads
// modules, and the demo runner's JS (dist/demos.js), load only when asked
// for; their sizes are printed beside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../wasm-bindings/dist/', import.meta.url));
const sizes = (files) =>
  files.map((f) => {
    const bytes = readFileSync(dist + f);
    return { file: f, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
const total = (rows) => rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), { raw: 0, gzip: 0 });

test('the default module is within 300 KB, 100 KB gzipped', () => {
  const rows = sizes(['aio.wasm', 'aio.mjs', 'index.js']);
  for (const r of rows) console.log(`${r.file}: ${r.raw} bytes, ${r.gzip} gzipped`);
  const t = total(rows);
  console.log(`default module: ${t.raw} bytes, ${t.gzip} gzipped`);
  assert.ok(t.raw <= 300_000, `the default module is ${t.raw} bytes, over 300,000`);
  assert.ok(t.gzip <= 100_000, `the default module is ${t.gzip} bytes gzipped, over 100,000`);
  const [demosJs] = sizes(['demos.js']);
  console.log(`demos.js: ${demosJs.raw} bytes, ${demosJs.gzip} gzipped (loaded only with loadDemos())`);
  for (const mod of ['aio-demos', 'aio-threads', 'aio-demos-threads']) {
    if (!existsSync(dist + mod + '.wasm')) continue;
    const m = total(sizes([mod + '.wasm', mod + '.mjs']));
    console.log(`${mod}: ${m.raw} bytes, ${m.gzip} gzipped (loaded only when used)`);
  }
});
