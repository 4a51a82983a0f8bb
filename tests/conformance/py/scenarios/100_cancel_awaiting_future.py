# Edge: cancelling a task suspended on a bare future cancels that future too; the task
# sees CancelledError at the await and can observe the future's state.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def waiter(fut):
    log('waiter awaiting future')
    try:
        await fut
    except asyncio.CancelledError as e:
        log('waiter caught', fmt_exc(e), 'fut.cancelled', fut.cancelled())
        raise

async def main():
    fut = asyncio.get_running_loop().create_future()
    t = asyncio.create_task(waiter(fut))
    await asyncio.sleep(0)
    log('cancel', t.cancel())
    log('fut.cancelled before run', fut.cancelled())
    await asyncio.sleep(0)
    log('fut.cancelled after one step', fut.cancelled(), 't.done', t.done())
    try:
        await t
    except asyncio.CancelledError as e:
        log('main caught', fmt_exc(e), t.cancelled())

run(main)
