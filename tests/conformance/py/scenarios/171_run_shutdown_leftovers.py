# Edge: asyncio.run() shutdown: tasks left when main returns are cancelled in creation order and
# awaited together (one that swallows the cancel runs to its end, one that fails in cleanup is
# reported as "unhandled exception during asyncio.run() shutdown"), then an async generator left
# suspended is closed by shutdown_asyncgens (its finally runs).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def stubborn():
    try:
        await asyncio.sleep(100)
    except asyncio.CancelledError:
        log('stubborn: cancelled, finishing anyway')
    await asyncio.sleep(1)
    log('stubborn: finished')
    return 'kept'

async def failing():
    try:
        await asyncio.sleep(100)
    except asyncio.CancelledError:
        log('failing: cancelled, cleanup raises')
        raise ValueError('cleanup failed')

async def polite():
    try:
        await asyncio.sleep(100)
    except asyncio.CancelledError:
        log('polite: cancelled')
        raise

async def ticks():
    try:
        for i in range(10):
            yield i
            await asyncio.sleep(0)
    finally:
        log('ticks: finally (closed)')

keep = []

async def main():
    asyncio.create_task(stubborn())
    asyncio.create_task(failing())
    asyncio.create_task(polite())
    g = ticks()
    keep.append(g)
    log('first tick', await g.__anext__())
    await asyncio.sleep(1)
    log('main returns')
    return 'main result'

log('run ->', run(main))
