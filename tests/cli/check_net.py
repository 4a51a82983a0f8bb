#!/usr/bin/env python3
"""The network commands of `aio` (net_commands.cpp), end to end on 127.0.0.1:
`aio serve echo|chat|http` and `aio run http-get`, each server stopped with
SIGINT or SIGTERM (it must drain and exit 0). Usage: check_net.py AIO KIND."""
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time

aio, kind = sys.argv[1], sys.argv[2]
problems = []


# Under ASan, freed memory waits in a quarantine (256 MB): without it the
# server's RSS tells what it holds, as in a plain build.
SERVER_ENV = dict(os.environ)
SERVER_ENV["ASAN_OPTIONS"] = ":".join(
    filter(None, [os.environ.get("ASAN_OPTIONS", ""), "quarantine_size_mb=0", "thread_local_quarantine_size_kb=0"]))


def start(*args):
    proc = subprocess.Popen([aio, "serve", *args, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=SERVER_ENV)
    line = proc.stdout.readline().decode()
    if "serving" not in line:
        proc.kill()
        sys.exit(f"server did not start: {line!r} {proc.stderr.read()!r}")
    return proc, int(line.split(":")[-1].split()[0])


def stop(proc, sig=signal.SIGINT):
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        problems.append("server did not stop on " + sig.name)
        return
    if proc.returncode != 0:
        problems.append(f"server exited with {proc.returncode} after {sig.name}: {err!r}")
    if b"stopped" not in out:
        problems.append(f"no 'stopped' line: {out!r}")


def recv_until(s, marker, limit=1 << 20):
    data = b""
    while marker not in data and len(data) < limit:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def send_for(s, data, seconds):
    """Send what the peer takes of `data` within `seconds`; the rest is dropped."""
    s.settimeout(0.05)
    end = time.time() + seconds
    while data and time.time() < end:
        try:
            data = data[s.send(data):]
        except socket.timeout:
            pass


def read_to_eof(s, timeout=5):
    got = b""
    s.settimeout(timeout)
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return got
        got += chunk


def rss_kib(proc):
    with open(f"/proc/{proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def flood(port, payload, seconds=3.0, rcvbuf=4096):
    """A client that sends and never reads. Returns the socket (still open)."""
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(0.2)
    end = time.time() + seconds
    while time.time() < end:
        try:
            s.send(payload)
        except socket.timeout:
            pass
        except OSError:
            break
    return s


# A peer that writes and never reads may cost the server its write buffer's
# high-water mark plus a read or so, not memory in proportion to what it sent.
MAX_GROWTH_KIB = 48 * 1024


def check_bounded(proc, before, what):
    grew = rss_kib(proc) - before
    if grew > MAX_GROWTH_KIB:
        problems.append(f"{what}: the server grew by {grew} KiB for a peer that does not read")


if kind == "echo":
    proc, port = start("echo")
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
    for i, s in enumerate(socks):
        s.sendall(b"ping %d\n" % i)
    for i, s in enumerate(socks):
        got = recv_until(s, b"\n")
        if got != b"ping %d\n" % i:
            problems.append(f"echo: got {got!r}")
    for s in socks:
        s.close()
    stop(proc, signal.SIGINT)

elif kind == "chat":
    proc, port = start("chat")
    a = socket.create_connection(("127.0.0.1", port))
    b = socket.create_connection(("127.0.0.1", port))
    recv_until(a, b"\n")
    recv_until(b, b"\n")
    time.sleep(0.1)
    a.sendall(b"hello from a\n")
    got = recv_until(b, b"\n")
    if not got.endswith(b": hello from a\n"):
        problems.append(f"chat: b got {got!r}")
    stop(proc, signal.SIGTERM)
    rest = recv_until(a, b"shutting down\n")
    if b"server shutting down" not in rest:
        problems.append(f"chat: no shutdown notice, got {rest!r}")

elif kind in ("http", "http-threads", "http-busy-poll"):
    # http-busy-poll: the same with the epoll host's busy polling on (a
    # 50 us spin before each blocking wait while connections are busy).
    extra = ["--threads", "2"] if kind == "http-threads" else []
    if kind == "http-busy-poll":
        proc, port = start("http", "--busy-poll", "50")
    elif extra:
        # --threads needs a fixed port: find a free one.
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        proc = subprocess.Popen([aio, "serve", "http", "--port", str(port), *extra], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        proc.stdout.readline()
    else:
        proc, port = start("http")
    s = socket.create_connection(("127.0.0.1", port))
    # Two keep-alive requests in one segment, one with a body.
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nPOST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
    got = b""
    while got.count(b"Hello, World!") < 2:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    if got.count(b"HTTP/1.1 200 OK") != 2:
        problems.append(f"http: keep-alive replies: {got!r}")
    bad = {
        b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n": b"400",
        b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n": b"400",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n": b"400",
        b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 9000 + b"\r\n\r\n": b"431",
        b"\x00\x01garbage\n\n": b"400",
    }
    for req, code in bad.items():
        c = socket.create_connection(("127.0.0.1", port))
        c.sendall(req)
        reply = recv_until(c, b"\r\n\r\n")
        if not reply.startswith(b"HTTP/1.1 " + code):
            problems.append(f"http: {req[:40]!r} got {reply[:40]!r}, expected {code!r}")
        # ... and the connection is closed.
        rest = c.recv(65536)
        while rest:
            rest = c.recv(65536)
        c.close()
    # The server still serves the first connection.
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    got = recv_until(s, b"Hello, World!")
    if b"200 OK" not in got:
        problems.append(f"http: after bad clients: {got!r}")
    s.close()
    # http-get against our own server.
    get = subprocess.run([aio, "run", "http-get", f"http://127.0.0.1:{port}/"], capture_output=True, timeout=20)
    if get.returncode != 0 or b"Hello, World!" not in get.stdout:
        problems.append(f"http-get: {get.returncode} {get.stdout!r} {get.stderr!r}")
    stop(proc, signal.SIGTERM)

elif kind in ("echo-noread", "http-noread"):
    # Flow control: a client that sends but never reads.
    proc, port = start(kind.split("-")[0])
    time.sleep(0.1)
    before = rss_kib(proc)
    payload = b"x" * 65536 if kind == "echo-noread" else b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 2048
    s = flood(port, payload)
    check_bounded(proc, before, kind)
    s.close()
    # ... and the server still serves others.
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    got = recv_until(c, b"Hello, World!" if kind == "http-noread" else b"\r\n\r\n")
    if not got:
        problems.append(f"{kind}: no answer for the next client")
    c.close()
    stop(proc, signal.SIGTERM)

elif kind == "http-idle-memory":
    # Idle keep-alive connections that once sent a burst (250 KB of pipelined
    # requests, or one head of 1,600 tiny headers) must not keep what the
    # burst needed (~100 MB for these 200 before the fix).
    proc, port = start("http")
    time.sleep(0.1)
    before = rss_kib(proc)
    req = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    burst = req * (250000 // len(req))
    many = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"a:b\r\n" * 1600 + b"\r\n"
    idle = []
    for i in range(200):
        c = socket.create_connection(("127.0.0.1", port))
        payload = burst if i % 2 == 0 else many
        c.sendall(payload)
        want = payload.count(b"GET / ") * len(b"Hello, World!")
        got = b""
        while got.count(b"Hello, World!") * len(b"Hello, World!") < want:
            chunk = c.recv(1 << 20)
            if not chunk:
                break
            got += chunk
        idle.append(c)
    time.sleep(0.2)
    grew = rss_kib(proc) - before
    if grew > 16 * 1024:
        problems.append(f"http-idle-memory: 200 idle connections hold {grew} KiB")
    for c in idle:
        c.close()
    stop(proc, signal.SIGTERM)

elif kind == "chat-noread":
    # A member that never reads while another broadcasts: its backlog is
    # bounded (it is disconnected), the others go on.
    proc, port = start("chat")
    slow = socket.create_connection(("127.0.0.1", port))
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    talker = socket.create_connection(("127.0.0.1", port))
    listener = socket.create_connection(("127.0.0.1", port))
    for c in (slow, talker, listener):
        recv_until(c, b"\n")
    time.sleep(0.1)
    before = rss_kib(proc)
    heard = [0]

    def listen():
        try:
            while True:
                chunk = listener.recv(65536)
                if not chunk:
                    break
                heard[0] += len(chunk)
        except OSError:
            pass

    reader = threading.Thread(target=listen, daemon=True)
    reader.start()
    talker.settimeout(0.2)
    end = time.time() + 3.0
    line = (b"y" * 1000 + b"\n") * 64
    while time.time() < end:
        try:
            talker.send(line)
        except socket.timeout:
            pass
    check_bounded(proc, before, kind)
    if heard[0] < 1 << 20:
        problems.append(f"chat-noread: the reading member heard only {heard[0]} bytes")
    stop(proc, signal.SIGTERM)
    for c in (slow, talker, listener):
        c.close()

elif kind == "http-linger":
    # An error answer (here 400) sent just before closing must reach a client
    # that is still sending: closing with unread bytes in the receive buffer
    # (or with more arriving) makes the kernel send RST, and a reset can
    # destroy the answer before the client reads it. The server lingers
    # (nginx's lingering close): it shuts down its side once the answer is
    # sent and reads and discards until the client closes.
    proc, port = start("http")
    bad = b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"
    good = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
    lost = []
    for i in range(12):
        # Odd rounds: the 400 alone, then more bytes. Even rounds: the 400
        # queued behind the answers to 3,000 pipelined requests that a client
        # with a small receive buffer has not read yet (still in the server's
        # send queue when it closes: the reset throws them away, and on
        # loopback this is what loses the 400 every time without the fix).
        c = socket.socket()
        if i % 2 == 0:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.connect(("127.0.0.1", port))
        reply = b""
        try:
            c.sendall((good * 3000 if i % 2 == 0 else b"") + bad)
            send_for(c, b"x" * 32768, 0.3)  # e.g. the rest of a body the server will not read
            reply += read_to_eof(c)
        except OSError as e:
            reply += repr(e).encode()
        if reply.count(b"HTTP/1.1 ") != (3001 if i % 2 == 0 else 1) or not reply.endswith(b"400 Bad Request\n"):
            lost.append(reply[-60:])
        c.close()
    if lost:
        problems.append(f"http-linger: {len(lost)} of 12 clients did not get every answer and the 400: {lost[0]!r}")
    # Lingering is bounded: a client that goes on sending after the answer is
    # cut off (64 KiB or 2 s), not read from for ever.
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(bad)
    c.settimeout(0.5)
    start_time = time.time()
    cut = False
    while time.time() - start_time < 6:
        try:
            c.send(b"x" * 4096)
        except socket.timeout:
            pass
        except OSError:
            cut = True
            break
    if not cut:
        problems.append("http-linger: a client that keeps sending after a 400 is never cut off")
    c.close()
    # ... and in time: a client that trickles is cut off after 2 s.
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(bad)
    start_time = time.time()
    cut = False
    while time.time() - start_time < 5:
        try:
            c.send(b"x")
        except OSError:
            cut = True
            break
        time.sleep(0.05)
    took = time.time() - start_time
    if not cut or not 1.5 < took < 3.5:
        problems.append(f"http-linger: a client that trickles after a 400: cut off {cut} after {took:.2f} s, expected 2 s")
    c.close()
    # The server goes on serving.
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    if b"Hello, World!" not in recv_until(c, b"Hello, World!"):
        problems.append("http-linger: no answer afterwards")
    c.close()
    stop(proc, signal.SIGTERM)

elif kind == "http-timeouts":
    # --header-timeout: a head (or a body) that does not arrive in time gets
    # 408 and the connection is closed; a connection that sends nothing is
    # closed quietly. --keepalive-timeout: an idle keep-alive connection is
    # closed quietly. Short timeouts here; the defaults are nginx's 60 s / 75 s.
    proc, port = start("http", "--header-timeout", "0.2", "--keepalive-timeout", "0.6")

    def read_to_end(c, limit=5.0):
        """Everything until the server closes; None if it does not within `limit` s."""
        c.settimeout(limit)
        data = b""
        try:
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    return data
                data += chunk
        except socket.timeout:
            return None
        except ConnectionResetError:
            return data

    def expect_408(what, c, began):
        got = read_to_end(c)
        took = time.time() - began
        if got is None or not got.startswith(b"HTTP/1.1 408 Request Timeout"):
            problems.append(f"http-timeouts: {what}: got {got!r}, expected a 408 and the close")
        elif not 0.15 < took < 1.5:
            problems.append(f"http-timeouts: {what}: the 408 came after {took:.2f} s (timeout 0.2 s)")

    # A head that stops half way.
    c = socket.create_connection(("127.0.0.1", port))
    began = time.time()
    c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    expect_408("a partial head", c, began)
    c.close()
    # Slowloris: a byte every 50 ms. The timeout counts from the connection,
    # not from the last byte.
    c = socket.create_connection(("127.0.0.1", port))
    began = time.time()
    head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    try:
        for b in head:
            c.send(bytes([b]))
            time.sleep(0.05)
            if select.select([c], [], [], 0)[0] or time.time() - began > 1.5:
                break  # answered (or never)
    except OSError:
        pass
    expect_408("a head trickled byte by byte", c, began)
    c.close()
    # A body that stops.
    c = socket.create_connection(("127.0.0.1", port))
    c.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
    began = time.time()
    got = recv_until(c, b"Hello, World!")
    expect_408("a body that stops", c, began)
    c.close()
    # A connection that sends nothing: closed without an answer.
    c = socket.create_connection(("127.0.0.1", port))
    began = time.time()
    got = read_to_end(c)
    if got != b"" or time.time() - began > 1.5:
        problems.append(f"http-timeouts: a silent connection: got {got!r} after {time.time() - began:.2f} s")
    c.close()
    # Keep-alive: requests 0.15 s apart go on being served well past both
    # timeouts (each request restarts the clock)...
    c = socket.create_connection(("127.0.0.1", port))
    served = 0
    for i in range(8):
        c.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        if b"Hello, World!" in recv_until(c, b"Hello, World!"):
            served += 1
        time.sleep(0.15)
    if served != 8:
        problems.append(f"http-timeouts: keep-alive requests 0.15 s apart: {served} of 8 served")
    # ... and an idle one is closed quietly after the keep-alive timeout.
    began = time.time()
    got = read_to_end(c)
    took = time.time() - began
    if got != b"" or not 0.3 < took < 2.0:
        problems.append(f"http-timeouts: an idle keep-alive connection: got {got!r} after {took:.2f} s")
    c.close()
    stop(proc, signal.SIGTERM)

elif kind == "chat-linger":
    # A member whose line is over the stream's limit (64 KiB) is told "line
    # too long: bye" and disconnected. Closing with the rest of its line
    # unread made the kernel send RST and throw away what was still queued
    # for it: the broadcasts it had not read yet and the notice. The server
    # lingers as http does, so the member reads everything.
    proc, port = start("chat")
    lost = []
    for i in range(4):
        a = socket.socket()
        a.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        a.connect(("127.0.0.1", port))
        b = socket.create_connection(("127.0.0.1", port))
        recv_until(a, b"\n")
        recv_until(b, b"\n")
        time.sleep(0.05)
        b.sendall((b"y" * 1000 + b"\n") * 300)  # 300 KB of broadcasts queued for a
        time.sleep(0.1)
        got = b""
        try:
            send_for(a, b"x" * 160000, 0.3)  # no newline: over the limit
            time.sleep(0.1)
            got += read_to_eof(a)
        except OSError as e:
            got += repr(e).encode()
        if got.count(b"y" * 1000 + b"\n") != 300 or not got.endswith(b"line too long: bye\n"):
            lost.append(got[-60:])
        a.close()
        b.close()
    if lost:
        problems.append(f"chat-linger: {len(lost)} of 4 members did not read everything and the notice: {lost[0]!r}")
    stop(proc, signal.SIGTERM)

elif kind == "http-get-errors":
    for args in (["run", "http-get", "ftp://example.com/"], ["run", "http-get"], ["serve", "nope"],
                 ["serve", "echo", "--threads", "2"]):
        r = subprocess.run([aio, *args], capture_output=True, timeout=20)
        if r.returncode != 2:
            problems.append(f"{args}: exit {r.returncode}, expected 2")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    r = subprocess.run([aio, "run", "http-get", f"http://127.0.0.1:{port}/"], capture_output=True, timeout=20)
    if r.returncode != 1 or b"Connection refused" not in r.stderr:
        problems.append(f"refused: exit {r.returncode}, {r.stderr!r}")

elif kind == "http-get-https":
    # https:// over a Python TLS server with a throwaway certificate: trusted
    # through OpenSSL's SSL_CERT_FILE (the default context loads the system's
    # CAs from there), then not trusted (verification must fail).
    import shutil
    import ssl
    import tempfile
    tmp = tempfile.mkdtemp()
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    requests = []

    def serve(n):
        for _ in range(n):
            conn, _ = listener.accept()
            try:
                tls = ctx.wrap_socket(conn, server_side=True)
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = tls.recv(4096)
                    if not chunk:
                        break
                    request += chunk
                requests.append(request)
                tls.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello over tls\n")
                tls.unwrap()
                tls.close()
            except (ssl.SSLError, OSError):
                conn.close()

    server = threading.Thread(target=serve, args=(2,), daemon=True)
    server.start()
    trusted = dict(os.environ, SSL_CERT_FILE=cert)
    r = subprocess.run([aio, "run", "http-get", f"https://127.0.0.1:{port}/x"], capture_output=True, timeout=20,
                       env=trusted)
    if r.returncode != 0 or b"hello over tls" not in r.stdout:
        problems.append(f"trusted: exit {r.returncode}, {r.stdout!r}, {r.stderr!r}")
    if not requests or not requests[0].startswith(b"GET /x HTTP/1.1\r\nHost: 127.0.0.1:"):
        problems.append(f"request: {requests!r}")
    untrusted = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
    r = subprocess.run([aio, "run", "http-get", f"https://127.0.0.1:{port}/"], capture_output=True, timeout=20,
                       env=untrusted)
    if r.returncode != 1 or b"certificate verify failed: self-signed certificate" not in r.stderr:
        problems.append(f"untrusted: exit {r.returncode}, {r.stderr!r}")
    server.join(5)
    listener.close()
    shutil.rmtree(tmp)

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
