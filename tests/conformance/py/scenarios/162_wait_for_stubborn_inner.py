# Edge: wait_for when the inner task answers the timeout's cancel by returning a value (that
# value is returned, no TimeoutError) or by raising another error (that error); when the outer
# task is cancelled and the inner swallows it, wait_for still raises CancelledError and the
# inner's value is only on the inner task; wait() of an empty list raises ValueError.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def stubborn(name, answer):
    try:
        await asyncio.sleep(10)
        return 'normal'
    except asyncio.CancelledError:
        log(name, 'got cancel, cleaning up')
        await asyncio.sleep(0.5)
        if answer == 'value':
            return name + ' value'
        raise ValueError(name + ' cleanup')

async def outer(inner):
    try:
        r = await asyncio.wait_for(inner, 5)
        log('outer got', r)
    except asyncio.CancelledError:
        log('outer cancelled')
        raise

async def main():
    r = await asyncio.wait_for(stubborn('s1', 'value'), 1)
    log('wait_for returned', r)
    try:
        await asyncio.wait_for(stubborn('s2', 'error'), 1)
    except ValueError as e:
        log('wait_for raised', fmt_exc(e))
    except TimeoutError:
        log('wait_for raised TimeoutError')

    inner = asyncio.create_task(stubborn('s3', 'value'))
    o = asyncio.create_task(outer(inner))
    await asyncio.sleep(1)
    o.cancel()
    try:
        await o
    except asyncio.CancelledError:
        log('o cancelled', o.cancelled())
    log('inner result', inner.result())

    try:
        await asyncio.wait([])
    except ValueError as e:
        log('wait([]):', fmt_exc(e))

run(main)
