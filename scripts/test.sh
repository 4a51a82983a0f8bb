#!/usr/bin/env bash
# Every test: unit, CLI, CPython conformance (the oracle and the C++ twins),
# network I/O, ASan+UBSan and TSan builds, libFuzzer targets, and the WebAssembly build under node. Exits non-zero on the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

stage() { printf '\n==== %s\n' "$*"; }

stage "CPython oracle: the Python scenarios still print their expected output"
python3 tests/conformance/py/run.py

for preset in native-debug asan; do
  stage "build + ctest ($preset)"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  # Two at a time natively; ASan's tests include real-clock timing checks
  # that the sanitizer already slows down, so they run one at a time.
  if [ "$preset" = asan ]; then ctest --preset "$preset"; else ctest --preset "$preset" -j2; fi
done

stage "build + ctest (tsan: the thread-safe parts)"
cmake --preset tsan >/dev/null
cmake --build --preset tsan
ctest --preset tsan

stage "fuzz (libFuzzer, clang + ASan): the HTTP request parser and StreamReader over random segmentation, 10 s each"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
ctest --preset fuzz

stage "build + ctest (wasm: unit tests and conformance twins under node)"
cmake --preset wasm >/dev/null
cmake --build --preset wasm
ctest --preset wasm -j2 -LE parity

stage "parity: every demo natively (build/native-debug) and in wasm under node, identical output and traces"
ctest --preset wasm -L parity

stage "playground end-to-end (Playwright in Debian's Chromium): every demo, timeline, browser I/O, scratchpad"
# The playground bundles the native CLI's output and traces (for its parity
# badge) and the npm package built by the wasm stage above.
cmake --build --preset native-release --target aio_cli 2>/dev/null || { cmake --preset native-release >/dev/null && cmake --build --preset native-release --target aio_cli; }
node web/scripts/gen-demo-data.mjs build/native-release/runtime/cli/aio
CI=1 npx playwright test -c tests/e2e/playwright.config.js
echo
echo "screenshots: build/e2e/screenshots/"
