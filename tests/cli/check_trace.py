#!/usr/bin/env python3
"""Checks `aio run DEMO --trace FILE` in both formats: the JSON parses, the
Chrome trace has a named lane per task and slices in them, and two runs on the
virtual clock give identical bytes."""
import json
import os
import subprocess
import sys
import tempfile

aio, demo = sys.argv[1], sys.argv[2]
# Event kinds the trace must contain, beyond those every task gives.
required = ["task_created", "task_resumed", "task_suspended", "task_done", "callback_run"] + sys.argv[3:]


def trace(fmt, path):
    proc = subprocess.run([aio, "run", demo, "--clock", "virtual", "--trace", path, "--trace-format", fmt],
                          capture_output=True, timeout=60)
    if proc.returncode != 0 or proc.stderr:
        sys.exit(f"aio failed ({proc.returncode}): {proc.stderr.decode()}")
    with open(path, "rb") as f:
        return f.read()


with tempfile.TemporaryDirectory() as tmp:
    jsonl = trace("jsonl", os.path.join(tmp, "a.jsonl"))
    events = [json.loads(line) for line in jsonl.decode().splitlines()]
    assert events, "no events"
    for e in events:
        assert list(e) == ["t", "kind", "id", "name", "detail"], e
        assert isinstance(e["t"], int), e
    kinds = {e["kind"] for e in events}
    for k in required:
        assert k in kinds, f"no {k} event"
    assert trace("jsonl", os.path.join(tmp, "b.jsonl")) == jsonl, "JSONL differs between two runs"

    chrome = trace("chrome", os.path.join(tmp, "a.json"))
    doc = json.loads(chrome)
    ev = doc["traceEvents"]
    names = {e["tid"]: e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
    tasks = {e["name"] for e in events if e["kind"] == "task_created"}
    assert set(names.values()) >= tasks, (names, tasks)
    slices = [e for e in ev if e["ph"] == "X"]
    assert {s["tid"] for s in slices} == set(names) - {0}, "every task lane has slices"
    assert all(isinstance(e.get("ts", 0), int) for e in ev)
    assert trace("chrome", os.path.join(tmp, "b.json")) == chrome, "Chrome trace differs between two runs"
print(f"ok: {len(events)} events")
