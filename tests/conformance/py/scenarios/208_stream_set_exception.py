# Streams: set_exception wakes a pending reader with the exception; every read raises it
# afterwards (before read(0) returns and before buffered data), except readexactly(n<0) and
# readuntil(b''), which check their argument first; exception() returns it.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def setter(r):
    await asyncio.sleep(1)
    log("set_exception")
    r.set_exception(ConnectionResetError("peer reset"))

async def main():
    r = asyncio.StreamReader()
    log("exception()", r.exception())
    s = asyncio.create_task(setter(r))
    try:
        await r.readline()
    except ConnectionResetError as e:
        print_exc(e, "pending readline")
    await s
    print_exc(r.exception(), "exception()")
    r.feed_data(b"data\n")
    for name, call in [("read(0)", lambda: r.read(0)), ("read(5)", lambda: r.read(5)),
                       ("read()", lambda: r.read()), ("readline", lambda: r.readline()),
                       ("readexactly(1)", lambda: r.readexactly(1)),
                       ("readexactly(-1)", lambda: r.readexactly(-1)),
                       ("readuntil(b'')", lambda: r.readuntil(b"")),
                       ("readuntil(b'x')", lambda: r.readuntil(b"x"))]:
        try:
            log(name, "->", await call())
        except Exception as e:
            print_exc(e, name)
    r.feed_eof()
    log("at_eof", r.at_eof())

run(main)
