# Edge: a task raising sets its exception (done, not cancelled); a task that catches its own
# cancellation and returns normally is NOT cancelled; done/cancelled flags throughout.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def raiser():
    await asyncio.sleep(1)
    raise RuntimeError('task error')

async def absorber():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log('absorber swallowed cancellation')
    return 'absorbed'

async def main():
    t = asyncio.create_task(raiser())
    a = asyncio.create_task(absorber())
    await asyncio.sleep(0.5)
    a.cancel()
    await asyncio.sleep(1)
    log('raiser done', t.done(), 'cancelled', t.cancelled(), 'exc', fmt_exc(t.exception()))
    log('absorber done', a.done(), 'cancelled', a.cancelled(), 'result', a.result())
    try:
        await t
    except RuntimeError as e:
        log('await raiser:', fmt_exc(e))

run(main)
