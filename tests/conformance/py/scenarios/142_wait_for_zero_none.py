# Edge: wait_for(timeout=None) just awaits; wait_for(timeout=0) returns the result of an
# already-done future, otherwise cancels the awaitable and raises TimeoutError at once.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def job(v, d):
    try:
        await asyncio.sleep(d)
        return v
    except asyncio.CancelledError:
        log('job', v, 'cancelled')
        raise

async def main():
    log('None ->', await asyncio.wait_for(job('a', 2), timeout=None))
    f = asyncio.get_running_loop().create_future()
    f.set_result('done-future')
    log('0 on done future ->', await asyncio.wait_for(f, timeout=0))
    try:
        await asyncio.wait_for(job('b', 1), timeout=0)
    except asyncio.TimeoutError as e:
        log('0 on coroutine ->', fmt_exc(e))
    t = asyncio.create_task(job('c', 1))
    try:
        await asyncio.wait_for(t, timeout=-1)
    except asyncio.TimeoutError as e:
        log('negative on task ->', fmt_exc(e), 'task cancelled', t.cancelled())

run(main)
