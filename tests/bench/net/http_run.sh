#!/usr/bin/env bash
# One repetition of the anchors' HTTP workload for one server, pinned as
# run_cpp_asio.sh pins it: the server on CPU 0, `wrk -t1 -c50` on CPU 1 (on a
# 2-core machine an unpinned wrk takes the server's CPU and everything ties).
#
# Usage: http_run.sh IMPL SECONDS ANCHORS_DIR AIO_CLI ASIO_BENCH
#   IMPL: aio (`aio serve http`, one thread) | asio | nginx (one worker) | uvloop
# Environment: BUSY_POLL_US=50, aio's `--busy-poll` (0: off; see RESULTS.md,
# "HTTP after the network audit": while wrk is the limit, a server that
# sleeps less costs wrk's CPU fewer wake-ups).
# Prints  bench=http impl=IMPL value=<requests/s> unit=req/s
# The server is stopped by its pid; everything is bounded with `timeout`.
set -euo pipefail
impl="$1" secs="$2" anchors="$3" aio="$4" asio="$5"
tmp="$(mktemp -d /tmp/aio-http.XXXXXX)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# The port from the server's first line that names one (each server says it its own way).
wait_port() {
  for _ in $(seq 300); do
    local p
    p="$(grep -oE '(127\.0\.0\.1:|READY |listening )[0-9]+' "$tmp/server.out" 2>/dev/null | head -1 | grep -oE '[0-9]+$' || true)"
    if [ -n "$p" ]; then echo "$p"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.out" >&2; return 1; }
    sleep 0.1
  done
  echo "http_run.sh: $impl did not start" >&2
  return 1
}

limit=$((secs + 60))
case "$impl" in
  aio)
    taskset -c 0 timeout "$limit" "$aio" serve http --port 0 --drain 0 --busy-poll "${BUSY_POLL_US:-50}" \
      >"$tmp/server.out" 2>&1 &
    pid=$!
    port="$(wait_port)" ;;
  asio)
    taskset -c 0 timeout "$limit" "$asio" http-server 0 $((secs + 30)) >"$tmp/server.out" 2>&1 &
    pid=$!
    port="$(wait_port)" ;;
  uvloop)
    taskset -c 0 timeout "$limit" /usr/bin/python3 "$anchors/py/http_server.py" uvloop 0 >"$tmp/server.out" 2>&1 &
    pid=$!
    port="$(wait_port)" ;;
  nginx)
    # The anchors' config (worker_processes 1); taskset pins the master and,
    # through inheritance, its one worker.
    port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    sed -e "s#@PREFIX@#$tmp#g" -e "s#@PORT@#$port#g" "$anchors/http/nginx.conf.in" >"$tmp/nginx.conf"
    taskset -c 0 timeout "$limit" /usr/sbin/nginx -e "$tmp/error.log" -c "$tmp/nginx.conf" -p "$tmp" \
      >"$tmp/server.out" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
      kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.out" "$tmp/error.log" >&2; exit 1; }
      sleep 0.1
    done ;;
  *) echo "http_run.sh: unknown impl $impl" >&2; exit 2 ;;
esac

# How busy each CPU was during the run (/proc/stat: every field but idle and
# iowait counts as busy). When wrk's CPU is the one at 100 %, every server
# ties on requests/s; requests per busy second of the server's CPU still
# tell them apart.
cpu_ticks() { awk -v c="cpu$1" '$1 == c { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat; }
sleep 0.5
read -r busy0_a all0_a < <(cpu_ticks 0)
read -r busy1_a all1_a < <(cpu_ticks 1)
taskset -c 1 timeout $((secs + 30)) /usr/bin/wrk -t1 -c50 -d"${secs}s" "http://127.0.0.1:$port/" >"$tmp/wrk.out" 2>&1
read -r busy0_b all0_b < <(cpu_ticks 0)
read -r busy1_b all1_b < <(cpu_ticks 1)
rps="$(awk '/^Requests\/sec:/{print $2}' "$tmp/wrk.out")"
if grep -qE 'Non-2xx|Socket errors' "$tmp/wrk.out"; then
  echo "# http $impl: wrk reported: $(grep -E 'Non-2xx|Socket errors' "$tmp/wrk.out" | tr -s ' ')" >&2
fi
[ -n "$rps" ] || { cat "$tmp/wrk.out" >&2; exit 1; }
echo "# http $impl: $(awk '/^    Latency/{print "mean latency " $2; exit}' "$tmp/wrk.out")" >&2
awk -v rps="$rps" -v b0=$((busy0_b - busy0_a)) -v a0=$((all0_b - all0_a)) -v b1=$((busy1_b - busy1_a)) -v a1=$((all1_b - all1_a)) \
  -v impl="$impl" 'BEGIN { u0 = a0 ? b0 / a0 : 0; u1 = a1 ? b1 / a1 : 0;
    printf "# http %s: server CPU 0 busy %.0f%%, wrk CPU 1 busy %.0f%%: %.0f requests per busy second of CPU 0\n",
      impl, 100 * u0, 100 * u1, u0 ? rps / u0 : 0 }' >&2
echo "bench=http impl=$impl value=$rps unit=req/s"
