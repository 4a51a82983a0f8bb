#!/usr/bin/env bash
# Installs the build tree $1 into a fresh prefix, then configures, builds and
# runs tests/install/consumer against it with find_package(aio), using the
# compiler and flags of that build ($2, $3, $4). Fails on any step, or if
# the consumer prints anything else than it should.
set -euo pipefail
build=$1 cxx=$2 cxxflags=$3 ldflags=$4
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -x "$work/prefix/bin/aio"
"$work/prefix/bin/aio" list >/dev/null

cmake -S "$here/consumer" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_FLAGS="$cxxflags" -DCMAKE_EXE_LINKER_FLAGS="$ldflags" >/dev/null
cmake --build "$work/build" >/dev/null
out=$("$work/build/consumer")
expected=$'hello world at t=2\ntask group: 3 tasks\necho: ping'
if [ "$out" != "$expected" ]; then
  printf 'consumer printed:\n%s\nexpected:\n%s\n' "$out" "$expected" >&2
  exit 1
fi
echo "find_package(aio) consumer: OK"
