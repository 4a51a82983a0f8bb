# Edge: cancelling the task awaiting shield(inner) cancels only the outer await; the inner
# task keeps running and its result is still retrievable.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def inner():
    log('inner start')
    await asyncio.sleep(3)
    log('inner end')
    return 42

async def outer(t):
    try:
        return await asyncio.shield(t)
    except asyncio.CancelledError:
        log('outer cancelled, inner.cancelled =', t.cancelled())
        raise

async def main():
    t = asyncio.create_task(inner())
    o = asyncio.create_task(outer(t))
    await asyncio.sleep(1)
    o.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log('outer done', o.done(), 'cancelled', o.cancelled(), 'inner done', t.done())
    log('inner result', await t)

run(main)
