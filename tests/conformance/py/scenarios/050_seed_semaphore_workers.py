# Seed (notes' Semaphore/limits topic): 5 workers limited to 2 concurrent by asyncio.Semaphore.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def worker(i, sem):
    log('worker', i, 'waiting')
    async with sem:
        log('worker', i, 'working')
        await asyncio.sleep(1 + i % 2)
        log('worker', i, 'finished')
    return i * 10

async def main():
    sem = asyncio.Semaphore(2)
    res = await asyncio.gather(*(worker(i, sem) for i in range(5)))
    log(res)

run(main)
