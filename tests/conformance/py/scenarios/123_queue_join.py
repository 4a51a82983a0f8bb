# Edge: Queue.join() waits until task_done() has been called for every item; task_done()
# too many times raises ValueError.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def worker(q):
    while True:
        item = await q.get()
        await asyncio.sleep(item)
        log('processed', item, 'qsize', q.qsize())
        q.task_done()

async def main():
    q = asyncio.Queue()
    for i in (2, 1, 3):
        q.put_nowait(i)
    w = asyncio.create_task(worker(q))
    log('joining')
    await q.join()
    log('joined, empty', q.empty())
    await q.join()
    log('second join returns at once')
    w.cancel()
    try:
        q.task_done()
    except ValueError as e:
        log('extra task_done:', fmt_exc(e))

run(main)
