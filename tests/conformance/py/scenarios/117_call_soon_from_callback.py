# Edge: a callback scheduled by call_soon from inside a running callback runs in the *next*
# iteration, after all callbacks already in the ready queue; tasks interleave the same way.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def cb(name, loop, spawn=0):
    log('cb', name)
    for i in range(spawn):
        loop.call_soon(cb, f'{name}.{i}', loop)

async def task(name):
    log('task', name, 'step 1')
    await asyncio.sleep(0)
    log('task', name, 'step 2')
    await asyncio.sleep(0)
    log('task', name, 'step 3')

async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(cb, 'A', loop, 2)
    t = asyncio.create_task(task('T'))
    loop.call_soon(cb, 'B', loop, 1)
    loop.call_soon(cb, 'C', loop)
    await asyncio.sleep(0)
    log('main resumed')
    await t
    log('main done')

run(main)
