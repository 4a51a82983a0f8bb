# Edge: asyncio.sleep(delay, result) returns result; sleep(0) yields exactly one iteration;
# negative delay behaves like sleep(0).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def ticker(name, n):
    for i in range(n):
        log(name, i)
        await asyncio.sleep(0)

async def main():
    log('sleep result', await asyncio.sleep(1.5, 'wake'))
    log('sleep 0 result', await asyncio.sleep(0, 'zero'))
    log('negative result', await asyncio.sleep(-1, 'neg'))
    await asyncio.gather(ticker('a', 3), ticker('b', 2))
    log('end')

run(main)
