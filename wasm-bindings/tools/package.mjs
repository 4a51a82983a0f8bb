// Writes the files the package ships into wasm-bindings/dist/:
//   dist/aio.mjs   Emscripten's loader (from the build), minified;
//   dist/aio.wasm  copied as it is;
//   dist/index.js  the JS layer (index.js), minified, importing ./aio.mjs;
//   dist/demos.js  the demo runner (demos.js), minified, which dist/index.js
//     imports only when loadDemos() is called;
//   dist/aio-demos.mjs, dist/aio-demos.wasm  the demos' module, likewise;
//   dist/aio-threads.*, dist/aio-demos-threads.*  the threads modules (-pthread),
//     likewise, plus the Web Workers' script (.worker.js, and a .worker.cjs
//     copy for Node, see shims/node-threads.pre.js).
// Minifying uses rolldown's minifier (oxc), from the npm workspace, when it
// is installed; without it the files are copied unminified (the package
// works the same, about 40 KB larger). Run by the aio_npm CMake target:
//   node tools/package.mjs <directory of aio.mjs and aio.wasm>
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, '..');
const buildDir = process.argv[2];
if (!buildDir) throw new Error('usage: node tools/package.mjs <build directory of aio_wasm>');
const dist = path.join(pkg, 'dist');
mkdirSync(dist, { recursive: true });

let minifySync = null;
try {
  ({ minifySync } = await import('rolldown/experimental'));
} catch {
  console.log('package.mjs: rolldown is not installed; the JS is copied unminified');
}

// keepNames: index.js names its classes in messages (`${this.constructor.name} was disposed`);
// its functions' names are never read, so they are shortened (about 100 bytes gzipped).
function emit(name, code, keepNames) {
  let out = code;
  if (minifySync) {
    const r = minifySync(name, code, { module: true, compress: true, mangle: keepNames ? { keepNames: { function: false, class: true } } : true });
    if (r.errors && r.errors.length) throw new Error(`minifying ${name}: ${JSON.stringify(r.errors)}`);
    out = r.code;
  }
  writeFileSync(path.join(dist, name), out);
}

const index = readFileSync(path.join(pkg, 'index.js'), 'utf8');
if (!index.includes("'./dist/aio.mjs'")) throw new Error("index.js must import './dist/aio.mjs'");
if (!index.includes("import('./demos.js')")) throw new Error("index.js must import './demos.js'");
emit('index.js', index.replaceAll("'./dist/", "'./"), true);
// index.js and demos.js sit side by side in the source and in dist/, so
// './demos.js' needs no rewriting; demos.js's './dist/' imports do.
const demos = readFileSync(path.join(pkg, 'demos.js'), 'utf8');
if (!demos.includes("'./dist/aio-demos.mjs'")) throw new Error("demos.js must import './dist/aio-demos.mjs'");
emit('demos.js', demos.replaceAll("'./dist/", "'./"));
for (const m of ['aio', 'aio-demos']) {
  emit(`${m}.mjs`, readFileSync(path.join(buildDir, `${m}.mjs`), 'utf8'));
  copyFileSync(path.join(buildDir, `${m}.wasm`), path.join(dist, `${m}.wasm`));
}
// The threads modules (-pthread): loader, .wasm and the Web Workers' script.
for (const m of ['aio-threads', 'aio-demos-threads']) {
  emit(`${m}.mjs`, readFileSync(path.join(buildDir, `${m}.mjs`), 'utf8'));
  copyFileSync(path.join(buildDir, `${m}.wasm`), path.join(dist, `${m}.wasm`));
  copyFileSync(path.join(buildDir, `${m}.worker.js`), path.join(dist, `${m}.worker.js`));
  // Node's copy (see shims/node-threads.pre.js): the package is "type": "module".
  copyFileSync(path.join(buildDir, `${m}.worker.js`), path.join(dist, `${m}.worker.cjs`));
}
