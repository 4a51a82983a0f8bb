# Streams: the limit counts the chunk before the separator: readline of exactly limit bytes
# waits for the newline instead of failing, limit+1 fails at once; StreamReader(limit=0) is
# a ValueError.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
from stream_feeder import feeder


async def main():
    try:
        asyncio.StreamReader(limit=0)
    except ValueError as e:
        print_exc(e, "limit=0")
    r = asyncio.StreamReader(limit=3)
    f = asyncio.create_task(feeder(r, [b"abc", b"\n", b"abcd", b"\n"]))
    log("exactly limit", await r.readline())
    try:
        await r.readline()
    except ValueError as e:
        print_exc(e, "limit+1")
    log("then", await r.readline())
    r2 = asyncio.StreamReader(limit=3)
    r2.feed_data(b"ab")
    r2.feed_data(b"c<")
    t = asyncio.create_task(r2.readuntil(b"<>"))
    await asyncio.sleep(1)
    log("r2 waiting for the rest of the separator, done", t.done())
    r2.feed_data(b">")
    log("r2", await t)
    await f

run(main)
