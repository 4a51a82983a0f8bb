# Streams: readexactly(n) waits for n bytes over several segments; n=0 is b'' at once; n<0 is
# a ValueError; at EOF it raises IncompleteReadError with what was buffered (and empties it).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
from stream_feeder import feeder


async def main():
    r = asyncio.StreamReader(limit=2)
    f = asyncio.create_task(feeder(r, [b"ab", b"cde", b"f", b"ghi"]))
    log("readexactly(0)", await r.readexactly(0))
    try:
        await r.readexactly(-1)
    except ValueError as e:
        print_exc(e, "readexactly(-1)")
    log("readexactly(4) over the limit", await r.readexactly(4))
    log("readexactly(1)", await r.readexactly(1))
    try:
        await r.readexactly(10)
    except asyncio.IncompleteReadError as e:
        print_exc(e, "EOF")
        log("partial", e.partial, "expected", e.expected)
    log("at_eof", r.at_eof())
    try:
        await r.readexactly(1)
    except asyncio.IncompleteReadError as e:
        print_exc(e, "EOF again")
        log("partial", e.partial, "expected", e.expected)
    log("readexactly(0) at EOF", await r.readexactly(0))
    await f

run(main)
