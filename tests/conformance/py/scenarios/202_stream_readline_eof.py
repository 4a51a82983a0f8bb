# Streams: readline joins a line split over segments, returns one line per call when several
# are buffered, returns the partial line (no newline) at EOF, then b''.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
from stream_feeder import feeder


async def main():
    r = asyncio.StreamReader()
    f = asyncio.create_task(feeder(r, [b"hel", b"lo\nwor", b"ld\n\nx", b"y", b"z"]))
    for i in range(6):
        line = await r.readline()
        log("readline", i, line, "at_eof", r.at_eof())
    await f

run(main)
