# Edge: a Condition waiter cancelled while waiting re-acquires the lock before CancelledError
# reaches it (waiting for the holder to release); notify(2) wakes the two oldest; wait_for with a
# predicate already true does not wait; wait() without the lock raises; Event.wait cancelled.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def waiter(name, cond):
    async with cond:
        log(name, 'waiting')
        try:
            await cond.wait()
            log(name, 'woke, locked', cond.locked())
        except asyncio.CancelledError:
            log(name, 'cancelled, locked', cond.locked())
            raise
        finally:
            log(name, 'leaving')

async def main():
    cond = asyncio.Condition()
    ts = [asyncio.create_task(waiter(f'w{i}', cond)) for i in range(4)]
    await asyncio.sleep(1)
    async with cond:
        log('main holds lock, cancel w1 ->', ts[1].cancel())
        await asyncio.sleep(1)
        log('main releasing')
    await asyncio.sleep(0)
    async with cond:
        log('notify(2)')
        cond.notify(2)
    await asyncio.sleep(1)
    log('states', [t.done() for t in ts])
    async with cond:
        r = await cond.wait_for(lambda: 'already')
        log('wait_for without waiting:', r)
        cond.notify_all()
    await asyncio.sleep(1)
    log('states', [t.done() for t in ts], 'w1 cancelled', ts[1].cancelled())
    try:
        await cond.wait()
    except RuntimeError as e:
        log('wait without lock:', fmt_exc(e))

    ev = asyncio.Event()
    e1 = asyncio.create_task(ev.wait())
    e2 = asyncio.create_task(ev.wait())
    await asyncio.sleep(1)
    e1.cancel()
    await asyncio.sleep(0)
    log('e1 cancelled', e1.cancelled(), 'e2 done', e2.done())
    ev.set()
    await asyncio.sleep(0)
    log('e2 result', e2.result())

run(main)
