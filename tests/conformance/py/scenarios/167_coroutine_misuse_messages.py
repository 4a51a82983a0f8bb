# Edge: the exact str() of misuse errors around coroutines and runners: awaiting a coroutine
# object a second time raises (a task can be awaited any number of times); asyncio.Runner.run()
# inside a running loop raises.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def value(v):
    await asyncio.sleep(0)
    return v

async def main():
    c = value(1)
    log('first await', await c)
    try:
        await c
    except RuntimeError as e:
        log('second await:', fmt_exc(e))
    t = asyncio.create_task(value(2))
    log('task awaited twice', await t, await t)
    c2 = value(3)
    runner = asyncio.Runner()
    try:
        runner.run(c2)
    except RuntimeError as e:
        c2.close()
        log('Runner.run inside a loop:', fmt_exc(e))
    runner.close()

run(main)
