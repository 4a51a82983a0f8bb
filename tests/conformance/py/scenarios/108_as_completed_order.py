# Edge: as_completed yields results in completion order, not argument order.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def job(name, d):
    await asyncio.sleep(d)
    log(name, 'finished')
    return name

async def main():
    # tasks, not coroutines: as_completed wraps coroutines in set() order (nondeterministic)
    ts = [asyncio.create_task(job(n, d)) for n, d in
          (('slow', 3), ('fast', 1), ('mid', 2), ('fast2', 1))]
    for i, f in enumerate(asyncio.as_completed(ts)):
        r = await f
        log('as_completed', i, r)

run(main)
