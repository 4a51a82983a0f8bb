# Edge: a TaskGroup child cancelled from outside does not abort the group (CancelledError of
# a child is not an error); the other children and the body finish normally.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def child(name, d):
    try:
        await asyncio.sleep(d)
        log(name, 'finished')
        return name
    except asyncio.CancelledError:
        log(name, 'cancelled')
        raise

async def main():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(child('a', 1))
        b = tg.create_task(child('b', 5))
        c = tg.create_task(child('c', 2))
        await asyncio.sleep(0.5)
        b.cancel()
        log('body done')
    log('group exited', a.result(), b.cancelled(), c.result())

run(main)
