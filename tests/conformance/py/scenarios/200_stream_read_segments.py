# Streams: read(n) returns what is buffered (at most n) as soon as one byte is there, across
# many small segments; read(0) is b'' at once; read(n) at EOF is b''.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
from stream_feeder import feeder


async def main():
    r = asyncio.StreamReader()
    f = asyncio.create_task(feeder(r, [b"ab", b"c", b"defgh", b"ij"]))
    log("read(0)", await r.read(0))
    log("read(1)", await r.read(1))
    log("read(5)", await r.read(5))
    await asyncio.sleep(3)
    log("buffered, read(3)", await r.read(3))
    log("read(100)", await r.read(100))
    log("read(100)", await r.read(100))
    log("at_eof", r.at_eof())
    log("read(100) at EOF", await r.read(100))
    log("read(0) at EOF", await r.read(0))
    log("read(-1) at EOF", await r.read(-1))
    await f

run(main)
