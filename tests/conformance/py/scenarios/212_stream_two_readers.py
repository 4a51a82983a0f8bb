# Streams: a second coroutine reading while one waits for data is a RuntimeError naming the
# method (readline is readuntil); once the first is woken a new reader may wait again.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def second(name, coro):
    try:
        log(name, "->", await coro)
    except RuntimeError as e:
        print_exc(e, name)

async def main():
    r = asyncio.StreamReader()
    first = asyncio.create_task(r.read(5))
    await asyncio.sleep(1)
    await second("read", r.read(5))
    await second("readline", r.readline())
    await second("readuntil", r.readuntil(b"!"))
    await second("readexactly", r.readexactly(2))
    await second("read(0)", r.read(0))
    r.feed_data(b"hello!")
    log("first got", await first)
    t = asyncio.create_task(r.readexactly(3))
    await asyncio.sleep(1)
    log("t waiting, done", t.done())
    r.feed_data(b"ab")
    await second("read while readexactly waits", r.read(5))
    log("t done", t.done())
    r.feed_eof()
    try:
        await t
    except asyncio.IncompleteReadError as e:
        print_exc(e, "t")

run(main)
