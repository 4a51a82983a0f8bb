# Streams: readuntil at EOF without the separator raises IncompleteReadError (partial =
# everything buffered, expected None) and empties the buffer; an empty separator is a
# ValueError; a multi-byte separator split over segments is still found.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
from stream_feeder import feeder


async def main():
    r = asyncio.StreamReader()
    f = asyncio.create_task(feeder(r, [b"key=va", b"lue\r", b"\nnext\r", b"\r\n", b"tail\r"]))
    try:
        await r.readuntil(b"")
    except ValueError as e:
        print_exc(e, "empty separator")
    log("readuntil", await r.readuntil(b"\r\n"))
    log("readuntil", await r.readuntil(b"\r\n"))
    try:
        await r.readuntil(b"\r\n")
    except asyncio.IncompleteReadError as e:
        print_exc(e, "EOF")
        log("partial", e.partial, "expected", e.expected)
    log("at_eof", r.at_eof())
    try:
        await r.readuntil(b"\r\n")
    except asyncio.IncompleteReadError as e:
        print_exc(e, "EOF again")
        log("partial", e.partial, "expected", e.expected)
    await f

run(main)
