# Edge: shield(): an inner task failing after the outer await was cancelled is NOT marked
# retrieved (the outer's callback already removed the inner's), so an inner nobody holds reports
# "never retrieved" when freed; cancelling the inner cancels every shield still waiting on it.
import os, sys, gc; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def inner(name, d, fail):
    await asyncio.sleep(d)
    if fail:
        log(name, 'raising')
        raise ValueError(name)
    log(name, 'returning')
    return name

async def waiter(name, aw):
    try:
        r = await asyncio.shield(aw)
        log(name, 'got', r)
    except asyncio.CancelledError:
        log(name, 'cancelled')
    except ValueError as e:
        log(name, 'error', fmt_exc(e))

async def main():
    i1 = asyncio.create_task(inner('i1', 2, True))
    w1 = asyncio.create_task(waiter('w1', i1))
    await asyncio.sleep(1)
    w1.cancel()
    await asyncio.sleep(2)
    log('i1 done', i1.done(), 'exception', fmt_exc(i1.exception()))

    # shield of a coroutine: nobody holds the inner task
    w2 = asyncio.create_task(waiter('w2', inner('i2', 2, True)))
    await asyncio.sleep(1)
    w2.cancel()
    await asyncio.sleep(2)
    gc.collect()
    log('after gc')

    i3 = asyncio.create_task(inner('i3', 5, False))
    w3 = asyncio.create_task(waiter('w3', i3))
    w4 = asyncio.create_task(waiter('w4', i3))
    await asyncio.sleep(1)
    w3.cancel()
    await asyncio.sleep(1)
    i3.cancel()
    await asyncio.sleep(1)
    log('i3 cancelled', i3.cancelled(), 'w3 done', w3.done(), 'w4 done', w4.done())

    i5 = asyncio.create_task(inner('i5', 1, True))
    s = asyncio.shield(i5)
    s.cancel()
    await asyncio.sleep(2)
    log('i5 exception', fmt_exc(i5.exception()), 's cancelled', s.cancelled())

run(main)
