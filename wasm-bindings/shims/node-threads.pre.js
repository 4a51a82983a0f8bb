// Runs inside the threads modules' factory (--pre-js, after node-wasm.pre.js).
// In Node, Web Workers are worker_threads running <module>.worker.js, a
// CommonJS script; the package says "type": "module", which would make Node
// load that file as an ES module (ReferenceError: require is not defined).
// The package ships a copy named .worker.cjs; point Node at it.
var aioIsNode = typeof process == 'object' && process.versions && process.versions.node;
if (aioIsNode && !Module['locateFile'])
  Module['locateFile'] = function (path, dir) {
    return dir + path.replace(/\.worker\.js$/, '.worker.cjs');
  };

// Node keeps a process alive while one of its worker_threads is referenced:
// the pool's Web Workers (started with the module) must not, or a program
// would never exit. While a job is in flight, the loop's host keeps a timer
// of its own instead (web_host.cpp). Browsers: nothing to do. At preRun,
// which only the main thread runs, the pool exists (PThread.init() ran when
// the module was evaluated); workers started later are unreferenced as made.
if (aioIsNode)
  Module['preRun'] = [].concat(Module['preRun'] || [], function () {
    var unref = function (w) {
      if (w && typeof w.unref == 'function') w.unref();
    };
    PThread.unusedWorkers.forEach(unref);
    PThread.runningWorkers.forEach(unref);
    var allocate = PThread.allocateUnusedWorker;
    PThread.allocateUnusedWorker = function () {
      allocate();
      unref(PThread.unusedWorkers[PThread.unusedWorkers.length - 1]);
    };
  });
