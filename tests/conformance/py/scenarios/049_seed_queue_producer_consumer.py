# Seed (note 002, "asyncio 的同步和通信: asyncio.Queue"): producer puts 5 items into a bounded
# Queue(2); two consumers take them; join() waits for task_done; consumers then cancelled.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def producer(q):
    for i in range(5):
        await q.put(i)
        log('produced', i, 'qsize', q.qsize())
    log('producer done')

async def consumer(name, q):
    try:
        while True:
            item = await q.get()
            log(name, 'got', item)
            await asyncio.sleep(1)
            log(name, 'done', item)
            q.task_done()
    except asyncio.CancelledError:
        log(name, 'cancelled')
        raise

async def main():
    q = asyncio.Queue(maxsize=2)
    consumers = [asyncio.create_task(consumer(f'c{i}', q)) for i in range(2)]
    await producer(q)
    await q.join()
    log('all items processed')
    for c in consumers:
        c.cancel()
    res = await asyncio.gather(*consumers, return_exceptions=True)
    log([type(r).__name__ for r in res])

run(main)
