# Edge: Barrier states: a newcomer blocks while the round drains, a waiter cancelled while
# filling leaves the count, reset() breaks waiters then refills, abort() breaks until reset().
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def party(name, barrier):
    log(name, 'waits', barrier)
    try:
        idx = await barrier.wait()
        log(name, 'passes index', idx, barrier)
    except asyncio.CancelledError:
        log(name, 'cancelled', barrier)
        raise
    except asyncio.BrokenBarrierError as e:
        log(name, 'broken:', fmt_exc(e), barrier)

def show(b):
    # the [...] part of the repr: no address
    return '[' + repr(b).split(' [')[1].rstrip('>') + f' n_waiting={b.n_waiting} broken={b.broken}'

async def main():
    b = asyncio.Barrier(2)
    asyncio.Barrier.__str__ = show
    # cancelled while filling
    a = asyncio.create_task(party('a', b))
    await asyncio.sleep(0)
    log('a waiting:', b)
    a.cancel()
    await asyncio.gather(a, return_exceptions=True)
    log('after cancel:', b)
    # draining: c arrives while the round of d and e drains
    d = asyncio.create_task(party('d', b))
    e = asyncio.create_task(party('e', b))
    c = asyncio.create_task(party('c', b))
    await asyncio.sleep(0)
    log('tick 1:', b)
    f = asyncio.create_task(party('f', b))
    await asyncio.gather(d, e, c, f)
    log('after round 2:', b)
    # cancelled after the round tripped, before running
    g = asyncio.create_task(party('g', b))
    await asyncio.sleep(0)
    h = asyncio.create_task(party('h', b))
    await asyncio.sleep(0)
    log('tripped:', b)
    g.cancel()
    await asyncio.gather(g, h, return_exceptions=True)
    log('after g/h:', b, 'cancelled', g.cancelled())
    # reset with a waiter, and a newcomer during resetting
    i = asyncio.create_task(party('i', b))
    await asyncio.sleep(0)
    r = asyncio.create_task(b.reset())
    j = asyncio.create_task(party('j', b))
    await asyncio.sleep(0)
    log('resetting:', b)
    await asyncio.gather(i, r)
    log('after reset:', b)
    k = asyncio.create_task(party('k', b))
    await asyncio.gather(j, k)
    # abort
    l = asyncio.create_task(party('l', b))
    await asyncio.sleep(0)
    await b.abort()
    await l
    await party('m', b)
    await b.reset()
    log('reset after abort:', b)
    n = asyncio.create_task(party('n', b))
    await party('o', b)
    await n
    await b.reset()
    log('reset when empty:', b)

run(main)
