# Streams: data fed to a waiting reader and then set_exception before the reader runs: the
# reader was woken by the data and returns it; only the next read raises. set_exception while
# it waits wins even if data follows.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def reader(r, name):
    try:
        log(name, "got", await r.read(10))
    except OSError as e:
        print_exc(e, name)

async def main():
    r = asyncio.StreamReader()
    t = asyncio.create_task(reader(r, "first"))
    await asyncio.sleep(1)
    r.feed_data(b"abc")
    r.set_exception(OSError("broken"))
    await t
    await reader(r, "second")
    r2 = asyncio.StreamReader()
    t2 = asyncio.create_task(reader(r2, "third"))
    await asyncio.sleep(1)
    r2.set_exception(OSError("broken first"))
    r2.feed_data(b"late")
    await t2
    r3 = asyncio.StreamReader()
    t3 = asyncio.create_task(reader(r3, "fourth"))
    await asyncio.sleep(1)
    r3.feed_eof()
    r3.set_exception(OSError("after eof"))
    await t3

run(main)
