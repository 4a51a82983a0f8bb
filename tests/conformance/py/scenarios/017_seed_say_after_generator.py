# Seed (note 001, "Generator-based Coroutines"): @asyncio.coroutine/yield from version of
# say_after, modernised to async def/await; main returns 123 via run_until_complete.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def say_after(delay, what, task=0):
    await asyncio.sleep(delay)
    log(what)

async def main():
    task1 = asyncio.create_task(say_after(1, 'hello'))
    task2 = asyncio.create_task(say_after(2, 'world', task1))
    log(f"started at {asyncio.get_running_loop().time():.3f}")
    await task1
    await task2
    log(f"finished at {asyncio.get_running_loop().time():.3f}")
    return 123

loop = new_loop()
a = loop.run_until_complete(main())
log('main returned', a)
loop.close()
