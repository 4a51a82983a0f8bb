# Edge: put_nowait on a full queue raises QueueFull, get_nowait on an empty queue raises
# QueueEmpty (both with empty messages); full()/empty()/maxsize; a blocked put resumes.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    q = asyncio.Queue(maxsize=2)
    try:
        q.get_nowait()
    except asyncio.QueueEmpty as e:
        log('get_nowait:', fmt_exc(e))
    q.put_nowait(1)
    q.put_nowait(2)
    log('full', q.full(), 'empty', q.empty(), 'maxsize', q.maxsize)
    try:
        q.put_nowait(3)
    except asyncio.QueueFull as e:
        log('put_nowait:', fmt_exc(e))
    async def putter():
        log('putter blocking')
        await q.put(3)
        log('putter done')
    t = asyncio.create_task(putter())
    await asyncio.sleep(1)
    log('get', q.get_nowait())
    await t
    log('drain', [q.get_nowait() for _ in range(q.qsize())])

run(main)
