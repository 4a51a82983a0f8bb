#!/usr/bin/env bash
# aio's network benchmark next to its anchors, in one run: builds the aio CLI
# and aio_net_echo_bench (preset native-release) and the Boost.Asio anchor,
# then measures aio, uvloop, Boost.Asio, nginx and the raw-epoll C echo on the
# workloads of ../shared/anchors/README.md and prints a table with the ratios
# the targets are stated in and PASS/MISS per target.
#
#   echo  server + 50 clients in one process, one thread, 64-byte round trips
#         (20,000 per client for C++ and C, 2,000 for uvloop's Protocol echo)
#   http  `wrk -t1 -c50 -d10s`, the server on CPU 0 and wrk on CPU 1: aio's
#         `aio serve http` (one thread), Asio, nginx with one worker, uvloop
#   idle  10,000 idle connections; the server's RSS growth per connection:
#         `aio serve echo`, Asio's idle-server, uvloop's streams echo server
#
# The implementations take turns within each repetition (aio, then each
# anchor, then aio again) so that load from elsewhere on the machine falls on
# all of them alike; each repetition waits briefly for a quiet machine and
# logs how contaminated it was (the anchors' guard.py).
#
# A full run takes about 8 minutes on a quiet 2-core machine (16 on a
# saturated one: the 50-connection echoes at full size dominate).
#
# Usage: tests/bench/run_net.sh
# Environment:
#   SCALE=1         divide every size by SCALE (100 = smoke test; http runs 1 s)
#   RUNS=3          repetitions per implementation and workload (medians reported)
#   ONLY="echo http idle"   the workloads to run
#   TRIES=1         guard.py tries per repetition (2: re-run a contaminated one)
#   AIO_SHARED_DIR  where shared/ is (default: <repo>/../shared, or the main checkout's)
#   OUT=<file>      also write the table (markdown) there
#   SKIP_INSTALL=1  do not apt-get install missing packages
#   BUSY_POLL_US=50 `aio serve http --busy-poll` in the HTTP workload (0: off)
# Every process is bounded with `timeout` and stopped by its pid; only 127.0.0.1 is used.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(git -C "$here" rev-parse --show-toplevel)"
SCALE="${SCALE:-1}"
RUNS="${RUNS:-3}"
ONLY="${ONLY:-echo http idle}"
TRIES="${TRIES:-1}"
. "$here/anchors.sh"
shared="$(find_shared)"
anchors="$shared/anchors"
sz() { echo $(($1 / SCALE > 0 ? $1 / SCALE : 1)); }

# ---- packages the anchors need, and a writable copy of them ------------------
install_missing_packages run_net.sh libboost1.81-dev python3-uvloop wrk nginx
anchors="$(writable_anchors "$anchors" "$root")"

# ---- build aio, the Asio anchor and the C echo --------------------------------
(cd "$root" && cmake --preset native-release >/dev/null &&
  cmake --build build/native-release -j2 --target aio_cli aio_net_echo_bench >/dev/null)
AIO="$root/build/native-release/runtime/cli/aio"
AIO_ECHO="$root/build/native-release/tests/bench/net/aio_net_echo_bench"
"$anchors/cpp/asio/build.sh" "$root/build/asio_anchor" >/dev/null
ASIO="$root/build/asio_anchor/asio_bench"
C_ECHO="$root/build/asio_anchor/epoll_echo"
gcc -O2 -o "$C_ECHO" "$anchors/c/epoll_echo.c"

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
lines="$results/lines.txt"
: >"$lines"
PY=/usr/bin/python3
# One guarded repetition; its bench= line goes to $results/<key>.txt.
rep() {
  local key="$1"
  shift
  $PY "$anchors/py/guard.py" --tries "$TRIES" -- "$@" >>"$results/$key.txt" || log "run failed: $*"
}
medians() {
  for f in "$results"/*.txt; do
    [ "$f" = "$lines" ] || $PY "$anchors/py/median.py" <"$f"
  done | tee -a "$lines" >&2
}

# ---- echo ----------------------------------------------------------------------
if want echo; then
  for r in $(seq "$RUNS"); do
    log "echo, repetition $r of $RUNS"
    rep echo_aio timeout 120 "$AIO_ECHO" "$(sz 20000)" 50
    rep echo_c timeout 120 "$C_ECHO" "$(sz 20000)"
    rep echo_asio timeout 120 "$ASIO" echo 50 "$(sz 20000)"
    rep echo_uvloop timeout 300 $PY "$anchors/py/bench.py" echo_protocol uvloop "$SCALE"
  done
fi

# ---- http ----------------------------------------------------------------------
if want http; then
  secs=$((10 / SCALE > 0 ? 10 / SCALE : 1))
  for r in $(seq "$RUNS"); do
    log "http, repetition $r of $RUNS (${secs}s each)"
    for impl in aio asio nginx uvloop; do
      rep "http_$impl" timeout $((secs + 120)) "$here/net/http_run.sh" "$impl" "$secs" "$anchors" "$AIO" "$ASIO"
    done
  done
fi

# ---- idle connections ------------------------------------------------------------
if want idle; then
  n="$(sz 10000)"
  ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  for r in $(seq "$RUNS"); do
    log "idle, repetition $r of $RUNS ($n connections)"
    rep idle_aio timeout 300 $PY "$here/net/idle_rss.py" "$anchors/py" aio "$n" -- \
      "$AIO" serve echo --port 0 --drain 0
    # Asio's idle-server measures itself once $n peers are in, then exits.
    rep idle_asio timeout 300 bash -c '
      "$1" idle-server 0 "$3" >"$4" 2>&1 & s=$!
      for _ in $(seq 100); do grep -q "^listening " "$4" && break; sleep 0.1; done
      port="$(awk "/^listening /{print \$2; exit}" "$4")"
      "$1" idle-client "$port" "$3" 90 & c=$!
      wait "$s"; kill "$c" 2>/dev/null; wait "$c" 2>/dev/null
      grep "^bench=idle_conn_mem" "$4"' _ "$ASIO" "$anchors" "$n" "$results/asio_idle.log"
    rep idle_uvloop timeout 300 $PY "$anchors/py/mem_idle.py" uvloop "$n"
  done
fi

medians

# ---- the table -------------------------------------------------------------------
$PY - "$lines" "$SCALE" "$RUNS" "${OUT:-}" <<'EOF'
import sys
lines, scale, runs, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
v = {}
for line in open(lines):
    if not line.startswith("bench="):
        continue
    kv = dict(t.split("=", 1) for t in line.split())
    b, impl = kv["bench"], kv["impl"]
    # One name per metric and implementation across the anchors' scripts.
    b = {"echo_protocol": "echo", "mem_idle": "idle_conn_mem"}.get(b, b)
    impl = {"aio-protocol": "aio", "raw-epoll-c": "c"}.get(impl, impl)
    v[(b, impl)] = float(kv["value"])

def get(b, impl):
    return v.get((b, impl))

def fmt(x):
    if x is None:
        return "–"
    if abs(x) >= 1e3:
        return f"{x / 1e3:.3g}k"
    return f"{x:.3g}"

impls = ["aio", "uvloop", "asio", "nginx", "c"]
rows = [("echo", "round trips/s"), ("http", "req/s"), ("idle_conn_mem", "KB/conn")]
out_lines = [f"scale 1/{scale}, medians of {runs} runs", "",
             "| workload | unit | aio | uvloop | Boost.Asio | nginx | raw-epoll C |",
             "|---|---|---|---|---|---|---|"]
for b, unit in rows:
    if all(get(b, i) is None for i in impls):
        continue
    out_lines.append(f"| {b} | {unit} | " + " | ".join(fmt(get(b, i)) for i in impls) + " |")

targets = []
def ratio_target(name, b, anchor, need):
    a, o = get(b, "aio"), get(b, anchor)
    r = None if a is None or not o else a / o
    status = "n/a" if r is None else ("PASS" if r >= need else "MISS")
    targets.append(f"| {name} | {f'{r:.2f}×' if r else '–'} | ≥ {need}× | {status} |")

ratio_target("echo vs uvloop (Protocol)", "echo", "uvloop", 1.25)
ratio_target("echo vs Boost.Asio", "echo", "asio", 1.1)
ratio_target("echo vs raw-epoll C", "echo", "c", 0.9)
ratio_target("http vs Boost.Asio (pinned)", "http", "asio", 1.1)
ratio_target("http vs nginx, 1 worker (pinned)", "http", "nginx", 1.0)
mem = get("idle_conn_mem", "aio")
targets.append(f"| RSS per idle connection | {f'{mem:.2f} KB' if mem is not None else '–'} | ≤ 1.0 KB | "
               f"{'n/a' if mem is None else ('PASS' if mem <= 1.0 else 'MISS')} |")
out_lines += ["", "| target | measured | needed | result |", "|---|---|---|---|"] + targets
text = "\n".join(out_lines) + "\n"
print(text, end="")
if out:
    open(out, "w").write(text)
EOF
