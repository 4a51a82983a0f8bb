# Seed (note 000): a/b/c coroutines under asyncio.wait, c() does not sleep, so it runs
# to completion in the first pass while a and b are suspended.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def a():
    log('aaa begin')
    await asyncio.sleep(0.5)
    log('aaa end ')

async def b():
    log('bbb begin')
    await asyncio.sleep(0.5)
    log('bbb end ')

async def c():
    log('ccc begin')
    # await asyncio.sleep(0.5)
    log('ccc end')

async def main():
    taskList = [asyncio.ensure_future(a()), asyncio.ensure_future(b()), asyncio.ensure_future(c())]
    await asyncio.wait(taskList)

start = 0.0
event_lopp = new_loop()
event_lopp.run_until_complete(main())
log('elapsed', f"{event_lopp.time() - start:.3f}")
event_lopp.close()
