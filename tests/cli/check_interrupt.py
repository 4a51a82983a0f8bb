#!/usr/bin/env python3
"""Ctrl-C on `aio run DEMO`, as on asyncio.run: SIGINT cancels the demo's
main task, its cleanup runs, and the CLI ends with "aio: KeyboardInterrupt"
and status 130 (a shell's status for a program stopped by Ctrl-C).
Usage: check_interrupt.py AIO."""
import signal
import subprocess
import sys

aio = sys.argv[1]
# SIGINT as an interactive shell leaves it (CI may start us with it ignored,
# which the runner then leaves alone, as asyncio does).
proc = subprocess.Popen([aio, "run", "say-after"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
first = proc.stdout.readline().decode()
if not first.startswith("started at"):
    proc.kill()
    sys.exit(f"unexpected first line {first!r}")
proc.send_signal(signal.SIGINT)  # before "hello", due 1 s after the start
try:
    out, err = proc.communicate(timeout=20)
except subprocess.TimeoutExpired:
    proc.kill()
    sys.exit("aio did not stop on SIGINT")
problems = []
if proc.returncode != 130:
    problems.append(f"exit status {proc.returncode}, not 130")
if err.decode() != "aio: KeyboardInterrupt\n":
    problems.append(f"stderr {err!r}")
if out:
    problems.append(f"the demo went on printing after the interrupt: {out!r}")
if problems:
    sys.exit("\n".join(problems))
print("ok: Ctrl-C cancelled the demo, exit 130")
