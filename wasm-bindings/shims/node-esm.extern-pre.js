// Runs at the top of aio.mjs, outside the module factory (--extern-pre-js).
// Emscripten 3.1.6's ES-module output still uses CommonJS names on its Node
// path; give them values (Node >= 20.16: process.getBuiltinModule).
var require = globalThis.process?.getBuiltinModule?.('module').createRequire(import.meta.url);
var __dirname = require && require('path').dirname(require('url').fileURLToPath(import.meta.url));
