#!/usr/bin/env python3
"""Checks that `aio list --scenarios` names exactly the demos that
tests/cli/CMakeLists.txt tests (a new demo needs its golden test). A demo
without a CPython twin is listed as `name -` and is tested as `name=-`."""
import subprocess
import sys

aio, tested = sys.argv[1], sys.argv[2:]
out = subprocess.run([aio, "list", "--scenarios"], capture_output=True, check=True, timeout=60).stdout.decode()
listed = [line.split() for line in out.splitlines()]
listed_pairs = [f"{name}={scenario}" for name, scenario in listed]
missing = sorted(set(listed_pairs) - set(tested))
extra = sorted(set(tested) - set(listed_pairs))
for m in missing:
    print("listed by aio but not tested:", m)
for x in extra:
    print("tested but not listed by aio:", x)
names = [n for n, _ in listed]
if len(set(names)) != len(names):
    print("duplicate demo names")
    sys.exit(1)
sys.exit(1 if missing or extra else 0)
