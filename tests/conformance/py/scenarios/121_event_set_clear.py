# Edge: Event set/clear: waiters arriving after clear() block again; set() wakes all current
# waiters; wait() on a set event returns immediately (True).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def waiter(name, ev):
    log(name, 'wait')
    r = await ev.wait()
    log(name, 'released', r)

async def main():
    ev = asyncio.Event()
    ev.set()
    log('is_set', ev.is_set())
    await waiter('early', ev)
    ev.clear()
    log('is_set', ev.is_set())
    a = asyncio.create_task(waiter('a', ev))
    b = asyncio.create_task(waiter('b', ev))
    await asyncio.sleep(1)
    ev.set()
    ev.clear()
    log('set+clear done, is_set', ev.is_set())
    await asyncio.gather(a, b)
    c = asyncio.create_task(waiter('c', ev))
    await asyncio.sleep(1)
    log('c done?', c.done())
    ev.set()
    await c

run(main)
