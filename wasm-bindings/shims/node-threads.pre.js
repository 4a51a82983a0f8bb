// Runs inside the threads modules' factory (--pre-js, after node-wasm.pre.js).
// In Node, Web Workers are worker_threads running <module>.worker.js, a
// CommonJS script; the package says "type": "module", which would make Node
// load that file as an ES module (ReferenceError: require is not defined).
// The package ships a copy named .worker.cjs; point Node at it.
if (typeof process == 'object' && process.versions && process.versions.node && !Module['locateFile'])
  Module['locateFile'] = function (path, dir) {
    return dir + path.replace(/\.worker\.js$/, '.worker.cjs');
  };
