#!/usr/bin/env bash
# The main job: build aio natively and show it working.
# (Until the web playground lands, this runs the tour demos through the CLI.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset native-release >/dev/null
cmake --build --preset native-release --target aio_cli
aio=build/native-release/runtime/cli/aio
"$aio" list
for demo in say-after factorial-gather task-group semaphore-workers producer-consumer; do
  echo
  echo "== aio run $demo --clock virtual"
  "$aio" run "$demo" --clock virtual
done
