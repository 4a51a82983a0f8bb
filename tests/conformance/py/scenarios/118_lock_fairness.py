# Edge: Lock waiters acquire in FIFO order; a waiter cancelled while waiting is skipped and
# does not steal or lose the lock; locked() and release of an unlocked lock.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def user(name, lock, hold):
    log(name, 'wants lock')
    try:
        async with lock:
            log(name, 'acquired')
            await asyncio.sleep(hold)
            log(name, 'releasing')
    except asyncio.CancelledError:
        log(name, 'cancelled while waiting')
        raise

async def main():
    lock = asyncio.Lock()
    ts = [asyncio.create_task(user(n, lock, 1)) for n in ('u0', 'u1', 'u2', 'u3')]
    await asyncio.sleep(0.5)
    log('locked', lock.locked())
    ts[2].cancel()
    await asyncio.gather(*ts, return_exceptions=True)
    log('locked', lock.locked(), [t.cancelled() for t in ts])
    try:
        lock.release()
    except RuntimeError as e:
        log('release unlocked:', fmt_exc(e))

run(main)
