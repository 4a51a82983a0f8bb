#!/usr/bin/python3
"""The anchors' asyncio/uvloop workload run twice in one process, as aio_bench
does for spawn and call_soon: the first pass is exactly bench.py's (same
function, same output line), the second is reported as <name>_warm.

Usage: py_warm.py ANCHORS_PY_DIR WORKLOAD IMPL [SCALE]
"""
import asyncio
import sys

sys.path.insert(0, sys.argv[1])
import bench  # noqa: E402  (the anchors' bench.py)


def main():
    if len(sys.argv) < 4 or sys.argv[2] not in bench.WORKLOADS:
        raise SystemExit(__doc__)
    workload, impl = sys.argv[2], sys.argv[3]
    scale = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    bench.setup_impl(impl)
    run = bench.WORKLOADS[workload]
    emit = bench.emit

    async def cold_then_warm():
        await run(impl, scale)
        bench.emit = lambda name, impl_, value, unit: emit(name + "_warm", impl_, value, unit)
        await run(impl, scale)

    asyncio.run(cold_then_warm())


if __name__ == "__main__":
    main()
