# Streams: readuntil's LimitOverrunError: consumed is where the separator starts when it is
# found beyond the limit, and the bytes searched when it is not; the data stays buffered
# either way, so it can still be read.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    r = asyncio.StreamReader(limit=4)
    r.feed_data(b"abcdef|tail")
    try:
        await r.readuntil(b"|")
    except asyncio.LimitOverrunError as e:
        print_exc(e, "found beyond limit")
        log("consumed", e.consumed)
        log("read consumed+1", await r.read(e.consumed + 1))
    r2 = asyncio.StreamReader(limit=4)
    r2.feed_data(b"0123456789")
    try:
        await r2.readuntil(b"||")
    except asyncio.LimitOverrunError as e:
        print_exc(e, "not found")
        log("consumed", e.consumed)
    log("still buffered", await r2.read(100))
    r3 = asyncio.StreamReader(limit=4)
    r3.feed_data(b"abcd|")
    log("separator at limit", await r3.readuntil(b"|"))
    r3.feed_data(b"abcde|")
    try:
        await r3.readuntil(b"|")
    except asyncio.LimitOverrunError as e:
        print_exc(e, "separator at limit+1")
        log("consumed", e.consumed)

run(main)
