# Edge: wait(return_when=FIRST_COMPLETED); tasks finishing at the same instant are all in done.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def job(name, d):
    await asyncio.sleep(d)
    log(name, 'finished')
    return name

async def main():
    ts = [asyncio.create_task(job(n, d)) for n, d in (('a', 2), ('b', 1), ('c', 1), ('d', 3))]
    while ts:
        done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)
        log('done', sorted(t.result() for t in done), 'pending', len(pending))
        ts = [t for t in ts if t in pending]

run(main)
