# Seed (note 001, asyncio.shield: "res = await shield(something())"): the awaiting task is
# cancelled but the shielded work keeps running and finishes.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def something():
    log('something start')
    await asyncio.sleep(2)
    log('something done')
    return 'result'

async def waiter(inner):
    try:
        res = await asyncio.shield(inner)
        log('waiter got', res)
    except asyncio.CancelledError:
        log('waiter cancelled; inner done?', inner.done())
        raise

async def main():
    inner = asyncio.ensure_future(something())
    w = asyncio.create_task(waiter(inner))
    await asyncio.sleep(1)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        log('main: waiter cancelled', w.cancelled())
    res = await inner
    log('main: inner result', res)

run(main)
