# Edge: a task cancelled twice while it waits gets one CancelledError, carrying the first
# message, and no cancellation is left over for its next await (sleep, Event.wait, gather).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def victim(name, wait):
    try:
        await wait()
    except asyncio.CancelledError as e:
        log(name, 'caught', fmt_exc(e), 'cancelling', asyncio.current_task().cancelling())
    try:
        await asyncio.sleep(0)
        log(name, 'next await ok')
    except asyncio.CancelledError as e:
        log(name, 'next await cancelled', fmt_exc(e))

async def child(d):
    await asyncio.sleep(d)

async def main():
    ev = asyncio.Event()
    for name, wait in [('sleep', lambda: asyncio.sleep(1)), ('event', ev.wait)]:
        t = asyncio.create_task(victim(name, wait))
        await asyncio.sleep(0)
        log(name, 'cancel', t.cancel('first'), t.cancel('second'), 'cancelling', t.cancelling())
        await t
    ts = [asyncio.create_task(child(1)) for _ in range(2)]
    g = asyncio.gather(*ts)
    await asyncio.sleep(0)
    log('gather cancel', g.cancel('first'), g.cancel('second'))
    try:
        await g
    except asyncio.CancelledError as e:
        log('gather raised', fmt_exc(e), 'g.cancelled', g.cancelled())
    log('children', [t.cancelled() for t in ts])

run(main)
