# Edge: Semaphore(2): waiters proceed in FIFO order as slots free up; a waiter cancelled while
# waiting is skipped; BoundedSemaphore over-release raises ValueError.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def user(name, sem, hold):
    log(name, 'waiting')
    try:
        async with sem:
            log(name, 'in')
            await asyncio.sleep(hold)
            log(name, 'out')
    except asyncio.CancelledError:
        log(name, 'cancelled')
        raise

async def main():
    sem = asyncio.Semaphore(2)
    ts = [asyncio.create_task(user(f'u{i}', sem, h)) for i, h in enumerate((1, 2, 1, 1, 1))]
    await asyncio.sleep(0.5)
    log('locked', sem.locked())
    ts[3].cancel()
    await asyncio.gather(*ts, return_exceptions=True)
    log('locked', sem.locked())
    b = asyncio.BoundedSemaphore(1)
    await b.acquire()
    b.release()
    try:
        b.release()
    except ValueError as e:
        log('bounded over-release:', fmt_exc(e))

run(main)
