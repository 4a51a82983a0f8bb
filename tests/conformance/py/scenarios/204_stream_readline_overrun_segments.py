# Streams: a line outgrowing the limit across segments: readline raises as soon as the
# searched bytes exceed the limit (before the newline arrives) and clears the buffer, so the
# tail of that line comes back as the next "line".
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
from stream_feeder import feeder


async def reader_task(r):
    for i in range(4):
        try:
            line = await r.readline()
            log("line", i, line)
        except ValueError as e:
            print_exc(e, "line", i)

async def main():
    r = asyncio.StreamReader(limit=5)
    f = asyncio.create_task(feeder(r, [b"abc", b"defg", b"hi\nok", b"\n"]))
    await reader_task(r)
    await f

run(main)
