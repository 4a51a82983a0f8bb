# Edge: Event.wait under wait_for: a timeout removes the waiter (a later set() wakes only the
# rest); set() then clear() before the waiters ran still releases them with True; a waiter
# woken by set() but cancelled before it ran ends cancelled; Event.wait in a timeout() scope.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def waiter(name, ev, timeout=None):
    try:
        r = await asyncio.wait_for(ev.wait(), timeout)
        log(name, 'released', r)
    except TimeoutError:
        log(name, 'timed out, is_set', ev.is_set())
    except asyncio.CancelledError:
        log(name, 'cancelled')
        raise

async def main():
    ev = asyncio.Event()
    a = asyncio.create_task(waiter('a', ev, 1))
    b = asyncio.create_task(waiter('b', ev, 3))
    c = asyncio.create_task(waiter('c', ev))
    await asyncio.sleep(2)
    ev.set()
    ev.clear()
    log('set+clear, is_set', ev.is_set())
    await asyncio.gather(a, b, c)

    d = asyncio.create_task(waiter('d', ev))
    e = asyncio.create_task(waiter('e', ev))
    await asyncio.sleep(1)
    ev.set()
    d.cancel()
    await asyncio.gather(d, e, return_exceptions=True)
    log('d cancelled', d.cancelled(), 'e done', e.done())

    ev.clear()
    try:
        async with asyncio.timeout(1):
            await ev.wait()
    except TimeoutError:
        log('Event.wait in timeout(1) expired, is_set', ev.is_set())
    loop = asyncio.get_running_loop()
    loop.call_later(0.5, ev.set)
    async with asyncio.timeout(1) as cm:
        r = await ev.wait()
    log('set in time', r, 'expired', cm.expired())

run(main)
