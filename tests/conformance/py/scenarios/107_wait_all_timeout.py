# Edge: wait(ALL_COMPLETED, timeout=) returns (done, pending) at the timeout without cancelling.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def job(name, d):
    await asyncio.sleep(d)
    log(name, 'finished')
    return name

async def main():
    ts = [asyncio.create_task(job(n, d)) for n, d in (('a', 1), ('b', 2), ('c', 4))]
    done, pending = await asyncio.wait(ts, timeout=2.5)
    log('done', [t in done for t in ts], 'pending', [t in pending for t in ts])
    log('c cancelled?', ts[2].cancelled())
    done, pending = await asyncio.wait(ts, timeout=10)
    log('done', len(done), 'pending', len(pending))

run(main)
