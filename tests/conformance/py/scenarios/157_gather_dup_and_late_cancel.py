# Edge: gather() with the same task or coroutine passed twice runs it once and repeats its
# result; cancelling a gather that already failed returns False and leaves the other children
# running; with return_exceptions=True the cancel reaches the survivors and the gather raises.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

runs = []

async def work(name, d, fail=False):
    runs.append(name)
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError as e:
        log(name, 'cancelled', repr(str(e)))
        raise
    if fail:
        log(name, 'raising')
        raise ValueError(name)
    log(name, 'done')
    return name

async def main():
    t = asyncio.create_task(work('t', 1))
    r = await asyncio.gather(t, t, work('u', 0.5), t)
    log('same task thrice:', r)
    c = work('c', 0.5)
    r = await asyncio.gather(c, c)
    log('same coroutine twice:', r, 'runs', runs)

    a = asyncio.create_task(work('a', 1, fail=True))
    b = asyncio.create_task(work('b', 3))
    g = asyncio.gather(a, b)
    try:
        await g
    except ValueError as e:
        log('gather raised', fmt_exc(e))
    log('g done', g.done(), 'cancel g ->', g.cancel(), 'g cancelled', g.cancelled())
    log('b done', b.done())
    await b
    log('b result', b.result())

    a2 = asyncio.create_task(work('a2', 1, fail=True))
    b2 = asyncio.create_task(work('b2', 3))
    g2 = asyncio.gather(a2, b2, return_exceptions=True)
    await asyncio.sleep(2)
    log('g2 done', g2.done(), 'a2 done', a2.done())
    log('cancel g2 ->', g2.cancel('stop'))
    try:
        await g2
    except asyncio.CancelledError as e:
        log('g2 raised', fmt_exc(e))
    log('g2 cancelled', g2.cancelled(), 'b2 cancelled', b2.cancelled())

    e = asyncio.gather()
    log('empty gather done', e.done(), 'cancel ->', e.cancel(), 'result', await e)

run(main)
