// The anchors' Pyodide workload run twice in one Pyodide, as aio_bench_wasm
// does for spawn and call_soon: the first pass is exactly anchors/pyodide/
// bench.mjs's (same Pyodide, same bench.py coroutine, same output line), the
// second is reported as <name>_warm. tests/bench/py_warm.py does the same for
// native asyncio and uvloop.
//
// Usage: node pyodide_warm.mjs ANCHORS_DIR spawn|call_soon [SCALE]
// (ANCHORS_DIR: a copy of shared/anchors with pyodide installed into
// pyodide/node_modules, as run_wasm.sh makes it.)
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [anchors, workload, scaleArg] = process.argv.slice(2);
const allowed = ["spawn", "call_soon"];
if (!anchors || !allowed.includes(workload) || (scaleArg !== undefined && !(Number(scaleArg) >= 1))) {
  console.error(`usage: node pyodide_warm.mjs ANCHORS_DIR ${allowed.join("|")} [SCALE]`);
  process.exit(2);
}
const scale = Number(scaleArg ?? 1);
// Pyodide is installed beside the anchors' bench.mjs, not in this repository.
const entry = path.join(anchors, "pyodide", "node_modules", "pyodide", "pyodide.mjs");
const { loadPyodide } = await import(pathToFileURL(entry).href);

const guard = setTimeout(() => {
  console.error("pyodide_warm: timed out");
  process.exit(2);
}, 300_000);
const py = await loadPyodide({ stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
py.FS.mkdirTree("/home/pyodide/anchors");
py.FS.writeFile("/home/pyodide/anchors/bench.py", readFileSync(path.join(anchors, "py", "bench.py"), "utf8"));
py.runPython("import sys; sys.path.insert(0, '/home/pyodide/anchors')");
await py.runPythonAsync(`
import bench
await bench.bench_${workload}("pyodide", ${scale})
_emit = bench.emit
bench.emit = lambda name, impl, value, unit: _emit(name + "_warm", impl, value, unit)
await bench.bench_${workload}("pyodide", ${scale})
`);
clearTimeout(guard);
