# Edge: asyncio.timeout(): reschedule() extends / shortens the deadline, when() reports it,
# timeout(None) never fires; the TimeoutError is raised at the async with exit.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(1) as cm:
            log('deadline', f"{cm.when():.3f}")
            await asyncio.sleep(0.5)
            cm.reschedule(loop.time() + 2)
            log('rescheduled to', f"{cm.when():.3f}")
            await asyncio.sleep(1.8)
            log('still inside', cm.expired())
            await asyncio.sleep(1)
            log('not reached')
    except TimeoutError as e:
        log('timed out', fmt_exc(e), cm.expired())
    async with asyncio.timeout(None) as cm:
        log('when', cm.when())
        await asyncio.sleep(5)
        cm.reschedule(loop.time() + 1)
        try:
            await asyncio.sleep(0.5)
            log('inside before deadline', cm.expired())
        finally:
            pass
    log('left without timeout', cm.expired())

run(main)
