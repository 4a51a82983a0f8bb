#!/usr/bin/env python3
"""Runs `aio run DEMO --clock virtual --timestamps` and compares its stdout,
byte for byte, with the CPython oracle's expected output for the demo's
scenario. Fails on a difference, a non-zero exit or anything on stderr."""
import argparse
import difflib
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--aio", required=True)
ap.add_argument("--demo", required=True)
ap.add_argument("--expected", required=True)
args = ap.parse_args()

proc = subprocess.run([args.aio, "run", args.demo, "--clock", "virtual", "--timestamps"],
                      capture_output=True, timeout=60)
with open(args.expected, "rb") as f:
    expected = f.read()

ok = True
if proc.returncode != 0:
    print(f"exit status {proc.returncode}, expected 0")
    ok = False
if proc.stderr:
    print("stderr:\n" + proc.stderr.decode("utf-8", "replace"))
    ok = False
if proc.stdout != expected:
    ok = False
    diff = difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(True),
                                proc.stdout.decode("utf-8", "replace").splitlines(True),
                                fromfile=args.expected, tofile=f"aio run {args.demo}")
    sys.stdout.writelines(diff)
sys.exit(0 if ok else 1)
