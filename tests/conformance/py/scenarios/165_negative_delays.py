# Edge: call_later with a negative or zero delay goes through the timer heap: it runs after the
# callbacks already ready (in deadline order among the due timers, so -2 before -1 before 0),
# never before a call_soon made earlier; sleep(-1) yields like sleep(0); TimerHandle.when() of a
# negative delay is in the past.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def ticker(name, n, delay):
    for i in range(n):
        log(name, i)
        await asyncio.sleep(delay)

async def main():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(1)
    h0 = loop.call_later(0, log, 'later 0')
    loop.call_soon(log, 'soon 1')
    hm1 = loop.call_later(-1, log, 'later -1')
    hm2 = loop.call_later(-2, log, 'later -2')
    loop.call_at(loop.time() - 0.5, log, 'at now-0.5')
    loop.call_soon(log, 'soon 2')
    log('when', hm2.when(), hm1.when(), h0.when())
    await asyncio.sleep(0)
    log('after sleep(0)')
    await asyncio.sleep(0)
    log('after second sleep(0)')
    a = asyncio.create_task(ticker('neg', 3, -1))
    b = asyncio.create_task(ticker('zero', 3, 0))
    await asyncio.gather(a, b)
    r = await asyncio.sleep(-5, 'result')
    log('sleep(-5) ->', r)

run(main)
