# Streams: cancelling a pending read (directly or by wait_for's timeout) leaves the reader
# usable: data fed later goes to the next read, nothing is lost.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
from stream_feeder import feeder


async def main():
    r = asyncio.StreamReader()
    t = asyncio.create_task(r.readexactly(4))
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log("read cancelled")
    r.feed_data(b"ab")
    try:
        await asyncio.wait_for(r.readexactly(4), 2)
    except TimeoutError:
        log("wait_for timed out")
    f = asyncio.create_task(feeder(r, [b"cd", b"ef\n"]))
    log("readline", await r.readline())
    await f
    log("read()", await r.read())

run(main)
