# Edge: shield() of an already-completed task returns that task itself; shield of a failed
# task re-raises its exception; cancelling the shield's outer future leaves inner alone.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def val(v):
    return v

async def bad():
    raise ValueError('inner failed')

async def main():
    t = asyncio.create_task(val(7))
    await t
    s = asyncio.shield(t)
    log('shield of done task is the task', s is t, await s)
    b = asyncio.create_task(bad())
    try:
        await asyncio.shield(b)
    except ValueError as e:
        log('shield re-raised', fmt_exc(e))
    inner = asyncio.create_task(asyncio.sleep(1, 'inner ok'))
    outer = asyncio.shield(inner)
    outer.cancel()
    log('outer cancelled', outer.cancelled(), 'inner cancelled', inner.cancelled())
    log('inner result', await inner)

run(main)
