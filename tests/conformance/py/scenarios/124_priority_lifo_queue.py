# Edge: PriorityQueue pops smallest first; LifoQueue pops last-in first; a getter blocked on an
# empty queue is woken by put.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    pq = asyncio.PriorityQueue()
    for item in [(3, 'c'), (1, 'a'), (2, 'b'), (1, 'a2'), (5, 'e')]:
        await pq.put(item)
    log('priority:', [pq.get_nowait() for _ in range(pq.qsize())])
    lq = asyncio.LifoQueue()
    for i in range(5):
        lq.put_nowait(i)
    log('lifo:', [lq.get_nowait() for _ in range(lq.qsize())])
    async def getter(q, name):
        log(name, 'waiting')
        log(name, 'got', await q.get())
    g1 = asyncio.create_task(getter(lq, 'g1'))
    g2 = asyncio.create_task(getter(lq, 'g2'))
    await asyncio.sleep(1)
    lq.put_nowait('x')
    lq.put_nowait('y')
    await asyncio.gather(g1, g2)

run(main)
