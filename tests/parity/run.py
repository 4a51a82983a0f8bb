#!/usr/bin/env python3
"""Parity of the native CLI and the WebAssembly one: every demo, run on the
virtual clock with timestamps and a trace, natively (`aio`) and in wasm under
Node (`node aio.js`, which drives the loop with the browser host's slices),
must print the same stdout and stderr, exit with the same status, and write
byte-identical traces, in JSON Lines and in Chrome format.

Demos the wasm build cannot run are listed below with the reason; for those the
wasm CLI must refuse with a message naming it (never a silent skip), and the
list of demos missing from `node aio.js list` must be exactly this one.

Usage: tests/parity/run.py --native build/native-debug/runtime/cli/aio \\
                           --wasm build/wasm/runtime/cli/aio.js [--node node] [--demo NAME ...] [-j N]
Exit status 0 when everything matches; otherwise the first difference of each
failing run is printed and the status is 1.
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

# Demos of the native build that the wasm build cannot run, and why. The wasm
# CLI must fail on them with exit status 2 and a message containing the words
# in EXPECTED_REFUSAL.
UNAVAILABLE_IN_WASM = {
    "run-in-executor": "run_in_executor on thread pools: no threads in wasm (AIO_HAS_THREADS is 0)",
    "executor-default": "run_in_executor on the default executor: no threads in wasm (AIO_HAS_THREADS is 0)",
    "threadsafe": "a loop on a second thread (run_coroutine_threadsafe): no threads in wasm (AIO_HAS_THREADS is 0)",
}
EXPECTED_REFUSAL = ["cannot run in this build", "threads"]
FORMATS = ["jsonl", "chrome"]
TIMEOUT = 300


def run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return "timeout", b"", f"timed out after {TIMEOUT} s".encode()


def first_difference(a: bytes, b: bytes, what: str) -> str:
    """Where two outputs first differ: the line (or, for long lines, the
    surrounding bytes) on both sides."""
    if a == b:
        return ""
    al, bl = a.split(b"\n"), b.split(b"\n")
    for i, (x, y) in enumerate(zip(al, bl)):
        if x != y:
            if len(x) <= 300 and len(y) <= 300:
                return f"{what}: first difference at line {i + 1}:\n  native: {x!r}\n  wasm:   {y!r}"
            off = next(j for j in range(min(len(x), len(y)) + 1) if j == min(len(x), len(y)) or x[j] != y[j])
            lo = max(0, off - 80)
            return (f"{what}: first difference at line {i + 1}, byte {off} of the line:\n"
                    f"  native: ...{x[lo:off + 80]!r}...\n  wasm:   ...{y[lo:off + 80]!r}...")
    longer, side = (al, "native") if len(al) > len(bl) else (bl, "wasm")
    n = min(len(al), len(bl))
    return (f"{what}: {side} has more lines ({len(al)} native, {len(bl)} wasm); "
            f"line {n + 1} there: {longer[n][:300]!r}")


def compare_demo(args, demo, fmt, tmp):
    """Runs `demo` both ways in `fmt`; returns a list of problems."""
    results = {}
    for side, cmd in (("native", [args.native]), ("wasm", [args.node, args.wasm])):
        trace = os.path.join(tmp, f"{demo}.{side}.{fmt}")
        code, out, err = run(cmd + ["run", demo, "--clock", "virtual", "--timestamps", "--trace", trace,
                                    "--trace-format", fmt])
        data = open(trace, "rb").read() if os.path.exists(trace) else None
        results[side] = (code, out, err, data)
        if data is not None and not args.keep:
            os.unlink(trace)
    (nc, no, ne, nt), (wc, wo, we, wt) = results["native"], results["wasm"]
    problems = []
    if nc != wc:
        problems.append(f"exit status: native {nc}, wasm {wc}" + (f"\n  wasm stderr: {we.decode(errors='replace')[-2000:]}" if we else ""))
    for what, a, b in (("stdout", no, wo), ("stderr", ne, we)):
        d = first_difference(a, b, what)
        if d:
            problems.append(d)
    if nt is None or wt is None:
        problems.append(f"trace not written: native {'ok' if nt is not None else 'missing'}, "
                        f"wasm {'ok' if wt is not None else 'missing'}")
    else:
        d = first_difference(nt, wt, f"{fmt} trace ({len(nt)} bytes native, {len(wt)} wasm)")
        if d:
            problems.append(d)
        elif not nt:
            problems.append(f"{fmt} trace is empty on both sides")
    return problems, (len(no), len(nt or b""))


def names(listing: bytes):
    return [line.split()[0] for line in listing.decode().splitlines() if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--native", required=True, help="the native aio executable")
    ap.add_argument("--wasm", required=True, help="the wasm CLI, aio.js")
    ap.add_argument("--node", default="node")
    ap.add_argument("--demo", action="append", help="only these demos (repeatable)")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the traces (printed directory)")
    args = ap.parse_args()
    for path, how in ((args.native, "build the native CLI (cmake --build --preset native-debug --target aio_cli)"),
                      (args.wasm, "build the wasm CLI (cmake --build --preset wasm --target aio_cli_wasm)")):
        if not os.path.exists(path):
            sys.exit(f"parity: {path} does not exist: {how}")

    failures = []
    code, native_list, err = run([args.native, "list"])
    if code != 0:
        sys.exit(f"parity: `{args.native} list` failed ({code}): {err.decode()}")
    code, wasm_list, err = run([args.node, args.wasm, "list"])
    if code != 0:
        sys.exit(f"parity: `node {args.wasm} list` failed ({code}): {err.decode()}")
    native_demos, wasm_demos = names(native_list), names(wasm_list)

    # The lists: wasm's is native's without the unavailable demos, line for line.
    missing = [d for d in native_demos if d not in wasm_demos]
    extra = [d for d in wasm_demos if d not in native_demos]
    if extra:
        failures.append(f"list: demos only in wasm: {extra}")
    if sorted(missing) != sorted(UNAVAILABLE_IN_WASM):
        failures.append(f"list: demos missing from wasm {sorted(missing)} != the ones listed as unavailable "
                        f"{sorted(UNAVAILABLE_IN_WASM)} (update UNAVAILABLE_IN_WASM in {__file__} with a reason)")
    kept = b"\n".join(l for l in native_list.split(b"\n") if not l.strip() or l.split()[0].decode() in wasm_demos)
    # Column widths may shrink without the missing names: compare the words.
    if [l.split() for l in kept.splitlines()] != [l.split() for l in wasm_list.splitlines()]:
        failures.append(first_difference(kept, wasm_list, "list"))

    selected = args.demo or native_demos
    # Unavailable demos: a clear refusal, not a silent skip.
    for demo in selected:
        if demo not in UNAVAILABLE_IN_WASM:
            continue
        code, out, err = run([args.node, args.wasm, "run", demo, "--clock", "virtual"])
        msg = err.decode(errors="replace")
        if code != 2 or not all(w in msg for w in EXPECTED_REFUSAL):
            failures.append(f"{demo} (unavailable in wasm: {UNAVAILABLE_IN_WASM[demo]}): expected exit status 2 and "
                            f"a message with {EXPECTED_REFUSAL}, got {code}: {msg.strip()!r}")
        else:
            print(f"ok   {demo}: refused in wasm ({msg.strip()})")

    runnable = [d for d in selected if d not in UNAVAILABLE_IN_WASM]
    unknown = [d for d in runnable if d not in native_demos]
    if unknown:
        sys.exit(f"parity: unknown demos {unknown}")
    tmp = tempfile.mkdtemp(prefix="aio-parity-")
    jobs = [(d, f) for d in runnable for f in FORMATS]
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = {pool.submit(compare_demo, args, d, f, tmp): (d, f) for d, f in jobs}
        done = {}
        for fut in concurrent.futures.as_completed(futures):
            done[futures[fut]] = fut.result()
    for d, f in jobs:
        problems, (out_len, trace_len) = done[(d, f)]
        if problems:
            failures.append(f"{d} [{f}]:\n  " + "\n  ".join(p.replace("\n", "\n  ") for p in problems))
            print(f"FAIL {d} [{f}]")
        else:
            print(f"ok   {d} [{f}]: {out_len} bytes of output, {trace_len} bytes of trace, identical")
    if args.keep:
        print(f"traces kept in {tmp}")
    else:
        try:
            os.rmdir(tmp)
        except OSError:
            pass

    if failures:
        print(f"\nparity: {len(failures)} failure(s)\n")
        for f in failures:
            print(f)
            print()
        return 1
    print(f"\nparity: {len(runnable)} demos x {len(FORMATS)} trace formats identical natively and in wasm; "
          f"{len([d for d in selected if d in UNAVAILABLE_IN_WASM])} demos refused in wasm as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
