# Edge: asyncio.timeout_at() with an absolute deadline (already in the past -> fires at the
# first suspension) and a nested pair where the inner deadline is earlier.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout_at(loop.time() + 1.5):
            await asyncio.sleep(3)
    except TimeoutError:
        log('timeout_at fired')
    try:
        async with asyncio.timeout_at(loop.time() - 1):
            log('body runs even though deadline passed')
            await asyncio.sleep(0)
            log('not reached')
    except TimeoutError:
        log('past deadline fired at first await')
    try:
        async with asyncio.timeout(5):
            try:
                async with asyncio.timeout(1):
                    await asyncio.sleep(2)
            except TimeoutError:
                log('inner timeout fired')
            await asyncio.sleep(10)
    except TimeoutError:
        log('outer timeout fired')

run(main)
