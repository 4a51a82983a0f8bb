# Edge: a Queue getter cancelled while waiting loses no item (the next getter gets it); a getter
# woken by put_nowait but cancelled before it ran passes the item on; a put cancelled while the
# queue is full adds nothing; maxsize <= 0 is unbounded.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def getter(name, q):
    try:
        item = await q.get()
        log(name, 'got', item)
    except asyncio.CancelledError:
        log(name, 'cancelled')
        raise

async def putter(name, q, item):
    try:
        await q.put(item)
        log(name, 'put', item)
    except asyncio.CancelledError:
        log(name, 'cancelled')
        raise

async def main():
    q = asyncio.Queue()
    g1 = asyncio.create_task(getter('g1', q))
    g2 = asyncio.create_task(getter('g2', q))
    await asyncio.sleep(1)
    g1.cancel()
    await asyncio.sleep(0)
    q.put_nowait('x')
    await asyncio.sleep(1)
    log('qsize', q.qsize())

    g3 = asyncio.create_task(getter('g3', q))
    g4 = asyncio.create_task(getter('g4', q))
    await asyncio.sleep(1)
    q.put_nowait('y')
    g3.cancel()
    await asyncio.sleep(1)
    log('qsize', q.qsize(), 'g4 done', g4.done())

    f = asyncio.Queue(maxsize=1)
    f.put_nowait('a')
    p1 = asyncio.create_task(putter('p1', f, 'b'))
    p2 = asyncio.create_task(putter('p2', f, 'c'))
    await asyncio.sleep(1)
    p1.cancel()
    await asyncio.sleep(0)
    log('got', f.get_nowait())
    await asyncio.sleep(1)
    log('queue now', f.get_nowait(), 'empty', f.empty())

    for m in (0, -1):
        u = asyncio.Queue(maxsize=m)
        for i in range(3):
            u.put_nowait(i)
        log('maxsize', u.maxsize, 'qsize', u.qsize(), 'full', u.full())

run(main)
