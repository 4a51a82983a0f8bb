#!/usr/bin/env python3
"""Run one C++ scenario twin and compare its stdout with the CPython oracle.

  compare.py [--emulator=CMD] BINARY NAME EXPECTED_FILE

With --emulator, the twin runs as `CMD BINARY NAME` (node for WebAssembly).

Fails (exit 1) when the twin exits non-zero, writes anything to stderr, or
prints anything but the expected bytes; a unified diff shows the difference.
"""
import difflib
import subprocess
import sys


def main(argv):
    emulator = []
    if argv and argv[0].startswith("--emulator="):
        emulator = argv.pop(0).split("=", 1)[1].split()
    binary, name, expected_path = argv
    proc = subprocess.run([*emulator, binary, name], capture_output=True, timeout=120)
    with open(expected_path, "rb") as fh:
        expected = fh.read()
    problems = []
    if proc.returncode != 0:
        problems.append(f"exit code {proc.returncode}")
    if proc.stderr:
        problems.append("stderr:\n" + proc.stderr.decode("utf-8", "replace"))
    if proc.stdout != expected:
        exp = expected.decode("utf-8", "replace").splitlines(True)
        out = proc.stdout.decode("utf-8", "replace").splitlines(True)
        diff = "".join(difflib.unified_diff(exp, out, fromfile=expected_path, tofile=f"aio_conformance {name}"))
        problems.append("stdout differs:\n" + (diff or "(only line endings or a final newline differ)\n"))
    if problems:
        print(f"FAIL {name}")
        for p in problems:
            print(p, end="" if p.endswith("\n") else "\n")
        return 1
    print(f"ok {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
