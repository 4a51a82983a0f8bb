# Edge: wait(return_when=FIRST_EXCEPTION) returns as soon as one task raises; others stay
# pending (and are still running afterwards).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def job(name, d, fail=False):
    await asyncio.sleep(d)
    log(name, 'finishing', 'with error' if fail else 'ok')
    if fail:
        raise RuntimeError(name + ' failed')
    return name

async def main():
    ts = [asyncio.create_task(job('a', 1)), asyncio.create_task(job('b', 2, True)),
          asyncio.create_task(job('c', 3))]
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_EXCEPTION)
    log('done', [t in done for t in ts], 'pending', [t in pending for t in ts])
    log('b exception', fmt_exc(ts[1].exception()))
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_EXCEPTION)
    log('second wait returns at once (b already failed)', len(done), len(pending))

run(main)
