// Runs inside the module factory (--pre-js; goes through the 3.1.6 optimizer,
// so plain ES2019 and no import.meta). In Node the loader would fetch() the
// .wasm by URL, which Node's fetch cannot do for file: URLs: read it instead.
if (typeof process == 'object' && process.versions && process.versions.node && !Module['wasmBinary'])
  Module['wasmBinary'] = process.getBuiltinModule('fs').readFileSync(new URL(_scriptDir.replace(/\.m?js([?#].*)?$/, '.wasm')));
