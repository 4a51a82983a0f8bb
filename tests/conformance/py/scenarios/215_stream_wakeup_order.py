# Streams: a woken reader runs on a later loop iteration: segments fed in one step arrive
# together; the feeder keeps running first; two streams feed each other's readers in order.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def reader(r, name, n):
    log(name, "waits")
    data = await r.read(n)
    log(name, "got", data)
    return data

async def main():
    a = asyncio.StreamReader()
    b = asyncio.StreamReader()
    ta = asyncio.create_task(reader(a, "A", 10))
    tb = asyncio.create_task(reader(b, "B", 10))
    await asyncio.sleep(0)
    b.feed_data(b"b1")
    a.feed_data(b"a1")
    a.feed_data(b"a2")
    log("fed both")
    await asyncio.sleep(0)
    log("after one iteration: A done", ta.done(), "B done", tb.done())
    await asyncio.gather(ta, tb)
    tc = asyncio.create_task(reader(a, "C", 2))
    await asyncio.sleep(0)
    a.feed_data(b"xyz")
    log("fed xyz")
    log("C", await tc, "left", await a.read(10))

run(main)
