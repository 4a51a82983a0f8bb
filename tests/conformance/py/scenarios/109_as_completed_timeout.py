# Edge: as_completed(timeout=) raises TimeoutError from the next await once the timeout hits;
# unfinished tasks are not cancelled.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def job(name, d):
    await asyncio.sleep(d)
    log(name, 'finished')
    return name

async def main():
    ts = [asyncio.create_task(job(n, d)) for n, d in (('a', 1), ('b', 3), ('c', 2))]
    try:
        for f in asyncio.as_completed(ts, timeout=2.5):
            log('got', await f)
    except asyncio.TimeoutError as e:
        log('as_completed raised', fmt_exc(e))
    log('b cancelled?', ts[1].cancelled())
    log('b result', await ts[1])

run(main)
