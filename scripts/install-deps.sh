#!/usr/bin/env bash
# Installs what building and testing aio needs on Debian 12, from Debian's
# packages only. Idempotent: does nothing when everything is present.
set -euo pipefail

packages=(
  g++ clang cmake ninja-build python3
  ccache               # the five builds of scripts/test.sh recompile only what changed
  libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev
  libssl-dev           # TLS of aio::net (OpenSSL 3; native builds only)
  openssl              # the TLS example makes its throwaway certificate with `openssl req`
  libclang-rt-14-dev   # LeakSanitizer/libFuzzer runtimes for clang builds
  emscripten           # the wasm preset (3.1.6; its tests run under node)
  chromium             # the playground's end-to-end tests (Playwright drives /usr/bin/chromium)
  fonts-wqy-microhei   # CJK glyphs for the Chinese interface in those tests' screenshots
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages, exactly as package-lock.json pins them (the npm package's
# tests, and later the playground). The stamp skips `npm ci` when nothing
# changed since the last install.
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.aio-lock-stamp ] || ! cmp -s package-lock.json node_modules/.aio-lock-stamp; then
  echo "install-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.aio-lock-stamp
fi
