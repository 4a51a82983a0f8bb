# Modern form (3.11) of the wait_for/eternity example: async with asyncio.timeout(1.0).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def eternity():
    await asyncio.sleep(3600)
    log('yay!')

async def main():
    try:
        async with asyncio.timeout(1.0) as cm:
            await eternity()
    except TimeoutError as e:
        log('timeout!', fmt_exc(e), 'expired', cm.expired())

run(main)
