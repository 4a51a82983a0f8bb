# Edge: wait() with the same task twice puts it in done once; wait(timeout=0) still lets the
# tasks already scheduled run their step first (the timer fires after the ready queue), so a
# task finishing in its first step is done; FIRST_EXCEPTION with no failure waits for all;
# as_completed() of a task passed twice yields it once.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def job(name, d):
    if d > 0:
        await asyncio.sleep(d)
    log(name, 'finished')
    return name

async def main():
    a = asyncio.create_task(job('a', 1))
    done, pending = await asyncio.wait([a, a])
    log('duplicate wait: done', len(done), 'pending', len(pending))

    quick = asyncio.create_task(job('quick', 0))
    slow = asyncio.create_task(job('slow', 1))
    done, pending = await asyncio.wait([quick, slow], timeout=0)
    log('timeout=0: quick done', quick in done, 'slow pending', slow in pending)
    await slow

    b = asyncio.create_task(job('b', 1))
    c = asyncio.create_task(job('c', 2))
    done, pending = await asyncio.wait([b, c], return_when=asyncio.FIRST_EXCEPTION)
    log('FIRST_EXCEPTION without failure: done', len(done), 'pending', len(pending))

    d = asyncio.create_task(job('d', 1))
    n = 0
    for f in asyncio.as_completed([d, d]):
        log('as_completed ->', await f)
        n += 1
    log('as_completed yielded', n)

run(main)
