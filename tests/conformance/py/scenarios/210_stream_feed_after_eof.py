# Streams: feed_data after feed_eof fails (asyncio's assert; empty data included); feed_eof
# twice is fine; at_eof() follows EOF and the buffer; a reader pending at feed_eof gets b''.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    r = asyncio.StreamReader()
    t = asyncio.create_task(r.read(4))
    await asyncio.sleep(1)
    log("at_eof before", r.at_eof())
    r.feed_eof()
    log("at_eof after feed_eof", r.at_eof())
    log("pending read got", await t)
    for data in [b"more", b""]:
        try:
            r.feed_data(data)
            log("feed_data", data, "ok")
        except AssertionError as e:
            print_exc(e, "feed_data", data)
    r.feed_eof()
    log("feed_eof twice ok, at_eof", r.at_eof())
    r2 = asyncio.StreamReader()
    r2.feed_data(b"xy")
    r2.feed_data(b"")
    r2.feed_eof()
    log("r2 at_eof", r2.at_eof())
    log("r2 readline", await r2.readline())
    log("r2 at_eof", r2.at_eof())

run(main)
