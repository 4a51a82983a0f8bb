# Seed (asyncio 的同步和通信: Event): three waiters block on an Event until a setter task sets it.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def waiter(name, ev):
    log(name, 'waiting for event')
    await ev.wait()
    log(name, 'event received', ev.is_set())

async def setter(ev):
    await asyncio.sleep(1)
    log('setting event')
    ev.set()
    log('event set')

async def main():
    ev = asyncio.Event()
    waiters = [asyncio.create_task(waiter(f'w{i}', ev)) for i in range(3)]
    await asyncio.gather(setter(ev), *waiters)
    log('all done')

run(main)
