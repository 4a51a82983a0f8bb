#!/usr/bin/env python3
"""Runs `aio ARGS...` and checks it is refused as a usage error: exit status
2, a message on stderr, nothing on stdout."""
import subprocess
import sys

aio, cli_args = sys.argv[1], sys.argv[2:]
proc = subprocess.run([aio, *cli_args], capture_output=True, timeout=60)
problems = []
if proc.returncode != 2:
    problems.append(f"exit status {proc.returncode}, expected 2")
if not proc.stderr.strip():
    problems.append("no message on stderr")
if proc.stdout:
    problems.append("unexpected stdout: " + proc.stdout.decode("utf-8", "replace"))
for p in problems:
    print(p)
print("stderr was: " + proc.stderr.decode("utf-8", "replace"))
sys.exit(1 if problems else 0)
