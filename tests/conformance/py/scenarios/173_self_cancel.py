# Edge: a task cancelling itself: nothing happens until its next real suspension (awaiting a
# done future or a finished coroutine does not suspend); uncancel() right after does not take
# the pending cancel back (3.11); a cancel() from inside a done callback of its own future.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def quick():
    return 'quick'

async def self_cancel(uncancel):
    me = asyncio.current_task()
    loop = asyncio.get_running_loop()
    log('cancel self ->', me.cancel('self'), 'cancelling', me.cancelling())
    if uncancel:
        log('uncancel ->', me.uncancel())
    done = loop.create_future()
    done.set_result('ready')
    log('awaited done future:', await done)
    log('awaited coroutine:', await quick())
    try:
        await asyncio.sleep(0)
        log('sleep(0) returned')
    except asyncio.CancelledError as e:
        log('sleep(0) raised', fmt_exc(e))
        raise

async def main():
    for uncancel in (False, True):
        t = asyncio.create_task(self_cancel(uncancel))
        try:
            await t
        except asyncio.CancelledError:
            log('task cancelled', t.cancelled())

    loop = asyncio.get_running_loop()
    f = loop.create_future()
    t = asyncio.create_task(asyncio.sleep(5))
    f.add_done_callback(lambda _: log('callback cancels t ->', t.cancel()))
    loop.call_later(1, f.set_result, None)
    try:
        await t
    except asyncio.CancelledError:
        log('t cancelled by the callback', t.cancelled())

run(main)
