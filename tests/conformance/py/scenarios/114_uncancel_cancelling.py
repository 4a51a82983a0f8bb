# Edge: Task.cancelling() counts pending cancel() requests; uncancel() decrements; a task that
# swallows CancelledError keeps running; repeated cancel() before it runs still counts.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def stubborn():
    me = asyncio.current_task()
    for i in range(3):
        try:
            await asyncio.sleep(1)
            log('slept', i)
        except asyncio.CancelledError:
            log('swallowed cancel, cancelling =', me.cancelling())
            log('uncancel ->', me.uncancel())
    return 'survived'

async def main():
    t = asyncio.create_task(stubborn())
    await asyncio.sleep(0.5)
    log('cancel', t.cancel(), 'cancelling', t.cancelling())
    log('cancel again', t.cancel(), 'cancelling', t.cancelling())
    await asyncio.sleep(0)
    log('after delivery cancelling', t.cancelling())
    log('result', await t, 'cancelled', t.cancelled())

run(main)
