# Edge: aclose() of an async generator that never started finishes it without running it; after
# aclose() or an exception, anext() raises StopAsyncIteration; closing twice is a no-op.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def gen(name):
    log(name, 'started')
    try:
        for i in range(3):
            await asyncio.sleep(0.1)
            yield i
    finally:
        log(name, 'cleanup')

async def main():
    g = gen('g1')
    await g.aclose()
    try:
        log('g1 next', await g.__anext__())
    except StopAsyncIteration:
        log('g1 StopAsyncIteration')
    g = gen('g2')
    log('g2 next', await g.__anext__())
    await g.aclose()
    try:
        log('g2 next', await g.__anext__())
    except StopAsyncIteration:
        log('g2 StopAsyncIteration')
    await g.aclose()
    log('g2 closed twice')
    async def bad():
        yield 1
        raise ValueError('gen failed')
    g = bad()
    log('bad next', await g.__anext__())
    try:
        await g.__anext__()
    except ValueError as e:
        log('bad raised', fmt_exc(e))
    try:
        await g.__anext__()
    except StopAsyncIteration:
        log('bad StopAsyncIteration')

run(main)
