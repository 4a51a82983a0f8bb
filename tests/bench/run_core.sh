#!/usr/bin/env bash
# aio's core benchmark next to its anchors, in one run: builds aio_bench
# (preset native-release), runs it, CPython asyncio, uvloop and Boost.Asio on
# the same workloads (../shared/anchors/README.md), and prints a table with the
# ratios the targets are stated in and PASS/MISS per target. spawn and
# call_soon are measured twice per process, cold (the first pass, a fresh
# process) and warm (a second pass, *_warm), for aio (aio_bench) and for
# asyncio/uvloop (py_warm.py around the anchors' bench.py); Asio's anchor
# has no second pass.
#
# Usage: tests/bench/run_core.sh
# Environment:
#   SCALE=1         divide every size by SCALE (100 = smoke test)
#   RUNS=3          repetitions per implementation and workload (medians reported)
#   ONLY="spawn switch call_soon timers taskmem"   the workloads to run
#   AIO_SHARED_DIR  where shared/ is (default: <repo>/../shared)
#   PY_ANCHORS=direct   direct: run the asyncio/uvloop benches exactly as run_py_js.sh's
#                   pyb() does (guard.py + bench.py + median.py), nothing else;
#                   run_py_js: setup.sh + run_py_js.sh in full (adds Node and Pyodide,
#                   which take many minutes; only asyncio/uvloop go into the table)
#   QUIET_WAIT=15   passed to run_cpp_asio.sh: seconds to wait for an idle machine per run
#   OUT=<file>      also write the table (markdown) there
#   SKIP_INSTALL=1  do not apt-get install missing packages
# Every process is bounded with `timeout`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(git -C "$here" rev-parse --show-toplevel)"
SCALE="${SCALE:-1}"
RUNS="${RUNS:-3}"
ONLY="${ONLY:-spawn switch call_soon timers taskmem}"
PY_ANCHORS="${PY_ANCHORS:-direct}"
QUIET_WAIT="${QUIET_WAIT:-15}"
. "$here/anchors.sh"
shared="$(find_shared)"
anchors="$shared/anchors"

# ---- packages the anchors need, and a writable copy of them ------------------
install_missing_packages run_core.sh libboost1.81-dev python3-uvloop
anchors="$(writable_anchors "$anchors" "$root")"

# ---- build aio_bench ---------------------------------------------------------
(cd "$root" && cmake --preset native-release >/dev/null && cmake --build build/native-release -j2 --target aio_bench >/dev/null)
AIO_BENCH="$root/build/native-release/tests/bench/aio_bench"

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
lines="$results/lines.txt"
: >"$lines"
PY=/usr/bin/python3

# ---- aio: each repetition guarded like the Python anchors' -------------------
for w in spawn switch call_soon timers taskmem; do
  want "$w" || continue
  log "aio $w"
  out="$results/aio_$w.txt"
  : >"$out"
  for _ in $(seq "$RUNS"); do
    $PY "$anchors/py/guard.py" -- timeout 600 "$AIO_BENCH" --scale "$SCALE" --runs 1 "$w" >>"$out" ||
      log "aio $w run failed"
  done
  $PY "$anchors/py/median.py" <"$out" | tee -a "$lines" >&2
done

# ---- CPython asyncio and uvloop ------------------------------------------------
py_list=""
for w in spawn switch call_soon timers; do want "$w" && py_list+=" $w"; done
if [ -n "$py_list" ]; then
  if [ "$PY_ANCHORS" = run_py_js ]; then
    log "anchors: setup.sh + run_py_js.sh (ONLY=$py_list)"
    timeout 1200 "$anchors/setup.sh" >&2
    ONLY="$py_list" REPS="$RUNS" timeout 7200 "$anchors/run_py_js.sh" "$SCALE" | tee -a "$lines" >&2 ||
      log "run_py_js.sh failed"
  else
    for w in $py_list; do
      for impl in asyncio uvloop; do
        log "$impl $w"
        out="$results/py_${w}_$impl.txt"
        : >"$out"
        # spawn and call_soon: bench.py's pass, then a warm one in the same
        # process (py_warm.py), as aio_bench reports them.
        bench_cmd=("$anchors/py/bench.py" "$w")
        case "$w" in spawn | call_soon) bench_cmd=("$here/py_warm.py" "$anchors/py" "$w") ;; esac
        for _ in $(seq "$RUNS"); do
          $PY "$anchors/py/guard.py" -- timeout 600 $PY "${bench_cmd[@]}" "$impl" "$SCALE" >>"$out" ||
            log "$impl $w run failed"
        done
        $PY "$anchors/py/median.py" <"$out" | tee -a "$lines" >&2
      done
    done
  fi
fi

# ---- Boost.Asio ----------------------------------------------------------------
asio_list=""
for w in spawn switch timers taskmem; do want "$w" && asio_list+=" $w"; done
if [ -n "$asio_list" ]; then
  log "anchors: run_cpp_asio.sh (ONLY=$asio_list)"
  ONLY="$asio_list" SCALE="$SCALE" RUNS="$RUNS" QUIET_WAIT="$QUIET_WAIT" BUILD_DIR="$root/build/asio_anchor" \
    timeout 3600 "$anchors/run_cpp_asio.sh" | tee -a "$lines" >&2 || log "run_cpp_asio.sh failed"
fi

# ---- the table -------------------------------------------------------------------
$PY - "$lines" "$SCALE" "$RUNS" "${OUT:-}" <<'EOF'
import sys
lines, scale, runs, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
v = {}
for line in open(lines):
    if not line.startswith("bench="):
        continue
    kv = dict(t.split("=", 1) for t in line.split())
    b, impl, val, unit = kv["bench"], kv["impl"], float(kv["value"]), kv["unit"]
    # One name and unit per metric: Asio says timers_lateness and gives the overhead in s.
    if b == "timers_lateness":
        b = "timers_mean_lateness"
    if b == "timers_overhead" and unit == "s":
        val, unit = val * 1e3, "ms"
    v[(b, impl)] = (val, unit)

def get(b, impl):
    return v.get((b, impl), (None, None))[0]

def fmt(x):
    if x is None:
        return "–"
    a = abs(x)
    if a >= 1e6: return f"{x / 1e6:.3g}M"
    if a >= 1e3: return f"{x / 1e3:.3g}k"
    return f"{x:.3g}"

rows = [("spawn", "tasks/s"), ("spawn_warm", "tasks/s"), ("switch", "yields/s"),
        ("call_soon", "callbacks/s"), ("call_soon_warm", "callbacks/s"),
        ("timers_overhead", "ms"), ("timers_mean_lateness", "ms"),
        ("task_mem_heap", "bytes"), ("task_mem_rss", "bytes")]
impls = ["aio", "asyncio", "uvloop", "asio"]
out_lines = [f"scale 1/{scale}, medians of {runs} runs", "",
             "| workload | unit | aio | asyncio | uvloop | Boost.Asio |",
             "|---|---|---|---|---|---|"]
for b, unit in rows:
    if all(get(b, i) is None for i in impls):
        continue
    out_lines.append(f"| {b} | {unit} | " + " | ".join(fmt(get(b, i)) for i in impls) + " |")

def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b

targets = []
def target(name, measured, ok, need):
    status = "n/a" if ok is None else ("PASS" if ok else "MISS")
    targets.append(f"| {name} | {measured} | {need} | {status} |")

def times(name, bench, impl, need, digits):
    """A "≥ need× impl" target on `bench`: aio's figure over impl's."""
    r = ratio(get(bench, "aio"), get(bench, impl))
    target(name, f"{r:.{digits}f}×" if r else "–", None if r is None else r >= need, f"≥ {need}×")

times("spawn vs Boost.Asio", "spawn", "asio", 5, 2)
times("spawn vs asyncio", "spawn", "asyncio", 40, 1)
times("spawn vs asyncio, warm (second pass)", "spawn_warm", "asyncio", 40, 1)
times("switch vs Boost.Asio", "switch", "asio", 8, 2)
times("call_soon vs uvloop", "call_soon", "uvloop", 30, 1)
times("call_soon vs uvloop, warm (second pass)", "call_soon_warm", "uvloop", 30, 1)
ao, so = get("timers_overhead", "aio"), get("timers_overhead", "asio")
# A negative Asio overhead (small SCALE: its delays stop short of 1.0 s) makes no ratio.
r = ratio(ao, so) if so is not None and so > 0 else None
target("timers overhead vs Boost.Asio", f"{r:.2f} of Asio's" if r is not None else "–",
       None if r is None else r <= 0.25, "≤ 1/4 of Asio's")
late = get("timers_mean_lateness", "aio")
target("timers mean lateness", f"{late:.3g} ms" if late is not None else "–",
       None if late is None else late <= 1.0, "≤ 1 ms")
mem = get("task_mem_heap", "aio")
target("heap per suspended task", f"{mem:.0f} B" if mem is not None else "–",
       None if mem is None else mem <= 192, "≤ 192 B")
out_lines += ["", "| target | measured | needed | result |", "|---|---|---|---|"] + targets
text = "\n".join(out_lines) + "\n"
print(text, end="")
if out:
    open(out, "w").write(text)
EOF
