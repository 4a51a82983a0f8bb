#!/usr/bin/env bash
# The main job: builds aio natively (the `aio` CLI) and for WebAssembly (the
# npm package), bundles the demos' native output for the parity badges, and
# serves the playground on http://127.0.0.1:5173 (PORT=... to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

cmake --preset native-release >/dev/null
cmake --build --preset native-release --target aio_cli
cmake --preset wasm >/dev/null
cmake --build --preset wasm --target aio_npm
node web/scripts/gen-demo-data.mjs build/native-release/runtime/cli/aio

aio=build/native-release/runtime/cli/aio
echo
echo "== the native build, beside the playground: $aio run say-after --clock virtual"
"$aio" run say-after --clock virtual
echo
echo "== the playground: http://127.0.0.1:${PORT:-5173}/  (Ctrl-C stops it)"
cd web
exec npx vite --host 127.0.0.1 --port "${PORT:-5173}" --strictPort
