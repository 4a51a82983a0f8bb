# Edge: on timeout, wait_for cancels the inner task and waits for it to finish its cleanup
# (which itself sleeps) before raising TimeoutError.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def inner():
    try:
        log('inner start')
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log('inner cancelled, cleaning up')
        await asyncio.sleep(0.5)
        log('inner cleanup done')
        raise

async def main():
    try:
        await asyncio.wait_for(inner(), timeout=2)
    except asyncio.TimeoutError as e:
        log('wait_for raised', fmt_exc(e))
    r = await asyncio.wait_for(asyncio.sleep(1, 'fast'), timeout=2)
    log('fast result', r)

run(main)
