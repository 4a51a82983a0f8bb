#!/usr/bin/python3
"""The anchors' idle-connection workload for any server command.

Usage: idle_rss.py ANCHORS_PY_DIR IMPL N -- SERVER_CMD...

Starts SERVER_CMD, takes its port from the first stdout line that names one
("serving echo on 127.0.0.1:PORT", "READY PORT", "listening PORT"), and then
measures exactly as the anchors' mem_idle.py does, reusing its functions: RSS
settled before, N idle connections opened by the anchors' idle_client.py in
batches of 100 (each batch waited for until the server holds that many more
fds), RSS settled after. Prints

  bench=idle_conn_mem impl=IMPL value=<KB per connection> unit=KB/conn

and stops both children by pid. Everything is bounded in time."""
import os
import re
import resource
import select
import subprocess
import sys
import time

PORT_RE = re.compile(r"(?:127\.0\.0\.1:|READY |listening )(\d+)")


def read_port(proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not r:
            break
        line = proc.stdout.readline()
        if not line:
            break
        m = PORT_RE.search(line)
        if m:
            return int(m.group(1))
    raise RuntimeError("the server printed no port")


def main():
    anchors_py, impl, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    sys.path.insert(0, anchors_py)
    from mem_idle import BATCH, nfds, read_line, stable_rss  # the anchors' own measurement

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(65536, hard)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))  # inherited by both children
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < n + 100:
        raise SystemExit(f"RLIMIT_NOFILE too low for {n} connections")
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    client = None
    try:
        port = read_port(server, 30)
        time.sleep(1.0)
        fd0 = nfds(server.pid)
        rss0 = stable_rss(server.pid)
        client = subprocess.Popen([sys.executable, os.path.join(anchors_py, "idle_client.py"), str(port)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        t0 = time.monotonic()
        total = 0
        while total < n:
            k = min(BATCH, n - total)
            client.stdin.write(f"{k}\n")
            client.stdin.flush()
            total = int(read_line(client, "CONNECTED", 60)[1])
            while nfds(server.pid) < fd0 + total:
                if time.monotonic() - t0 > 180:
                    raise RuntimeError(f"server holds only {nfds(server.pid) - fd0} of {total}")
                time.sleep(0.002)
        connect_s = time.monotonic() - t0
        rss1 = stable_rss(server.pid)
        print(f"# idle_conn_mem impl={impl} n={n} rss_before_kb={rss0} rss_after_kb={rss1} "
              f"connect_s={connect_s:.2f}", file=sys.stderr, flush=True)
        print(f"bench=idle_conn_mem impl={impl} value={(rss1 - rss0) / n:.4g} unit=KB/conn", flush=True)
    finally:
        if client is not None:
            client.stdin.close()  # the client closes its sockets and exits
            try:
                client.wait(timeout=30)
            except subprocess.TimeoutExpired:
                client.kill()
                client.wait()
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
