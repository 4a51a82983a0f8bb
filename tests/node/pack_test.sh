#!/usr/bin/env bash
# `npm pack` of wasm-bindings/ gives a tarball that installs into an empty
# folder without network access and runs an example in Node.
# Usage: tests/node/pack_test.sh   (after building the aio_wasm target)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root/wasm-bindings"
tarball=$(npm pack --silent --pack-destination "$work" 2>/dev/null | tail -n1)
echo "packed: $tarball ($(stat -c %s "$work/$tarball") bytes)"
tar -tzf "$work/$tarball" | sort > "$work/contents.txt"
for f in package/package.json package/dist/index.js package/dist/demos.js package/index.d.ts package/README.md package/dist/aio.mjs package/dist/aio.wasm package/dist/aio-demos.mjs package/dist/aio-demos.wasm; do
  grep -qx "$f" "$work/contents.txt" || { echo "missing from the tarball: $f"; cat "$work/contents.txt"; exit 1; }
done

mkdir "$work/app"
cd "$work/app"
echo '{"name": "pack-test-app", "version": "1.0.0", "private": true, "type": "module"}' > package.json
# --offline: nothing may come from the network (the package has no dependencies).
npm install --offline --no-audit --no-fund --loglevel=error "$work/$tarball"

cat > example.mjs <<'JS'
import { createRuntime, CancelledError } from 'aio-asyncio';

const rt = await createRuntime();
const log = [];
const result = await rt.run(function* () {
  const slow = rt.createTask(function* () {
    try {
      yield rt.sleep(3600);
    } finally {
      log.push('cleanup ran');
    }
  });
  const results = yield rt.gather(rt.sleep(1, 'a'), rt.sleep(2, 'b'));
  slow.cancel();
  try {
    yield slow;
  } catch (e) {
    log.push(e instanceof CancelledError ? 'cancelled' : 'unexpected');
  }
  return [results.join(''), rt.getRunningLoop().time()];
}, { clock: 'virtual' });
const demos = await rt.loadDemos();
const lines = [];
const status = await demos.run('say-after', {}, { onOutput: (l) => lines.push(l) });
console.log(JSON.stringify({ result, log, demo: [status, lines.at(-1)] }));
JS
out=$(node example.mjs)
echo "example printed: $out"
expected='{"result":["ab",2],"log":["cleanup ran","cancelled"],"demo":[0,"finished at 2.000"]}'
[ "$out" = "$expected" ] || { echo "expected: $expected"; exit 1; }
echo "pack test: ok"
