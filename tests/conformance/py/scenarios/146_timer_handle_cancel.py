# Edge: Handle/TimerHandle cancel(): a cancelled call_soon/call_later never runs; cancel is
# idempotent; cancelling after it ran has no effect; a callback cancelling a later one.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def cb(name):
    log('cb', name)

async def main():
    loop = asyncio.get_running_loop()
    h1 = loop.call_soon(cb, 'soon-cancelled')
    h1.cancel(); h1.cancel()
    loop.call_soon(cb, 'soon-kept')
    t1 = loop.call_later(1, cb, 'later-cancelled')
    t2 = loop.call_later(2, cb, 'later-kept')
    loop.call_later(0.5, t1.cancel)
    await asyncio.sleep(3)
    log('cancelled flags', h1.cancelled(), t1.cancelled(), t2.cancelled())
    t2.cancel()
    log('cancel after run', t2.cancelled())

run(main)
