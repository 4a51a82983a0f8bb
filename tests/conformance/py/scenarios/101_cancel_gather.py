# Edge: cancelling the gather() future cancels every child that is still running; the
# children observe CancelledError, and awaiting the gather raises CancelledError.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def child(name, delay):
    try:
        await asyncio.sleep(delay)
        log(name, 'finished')
        return name
    except asyncio.CancelledError:
        log(name, 'cancelled')
        raise

async def main():
    tasks = [asyncio.create_task(child(f'c{i}', d)) for i, d in enumerate((1, 5, 6))]
    g = asyncio.gather(*tasks)
    await asyncio.sleep(2)
    log('cancel gather', g.cancel())
    try:
        await g
    except asyncio.CancelledError as e:
        log('gather raised', fmt_exc(e))
    log([('cancelled' if t.cancelled() else t.result()) for t in tasks])
    log('g.cancelled', g.cancelled())

run(main)
