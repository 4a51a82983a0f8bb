# Edge: call_at with loop.time()-based deadlines, including one in the past (runs at the next
# iteration, after already-ready callbacks) and TimerHandle.when().
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def cb(name):
    log('cb', name)

async def main():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(1)
    now = loop.time()
    h = loop.call_at(now + 0.25, cb, '+0.25')
    loop.call_at(now + 0.125, cb, '+0.125')
    loop.call_at(now - 5, cb, 'past')
    loop.call_soon(cb, 'soon')
    log('when', f"{h.when():.3f}")
    await asyncio.sleep(0.5)
    loop.call_later(0.1, cb, 'later 0.1')
    loop.call_at(loop.time() + 0.1, cb, 'at +0.1')
    await asyncio.sleep(0.2)

run(main)
