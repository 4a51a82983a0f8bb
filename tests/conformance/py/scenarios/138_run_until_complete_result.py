# Edge: run_until_complete returns the result / raises the exception of its future; it can be
# called repeatedly on the same loop, and accepts a Future resolved by a callback.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def add(a, b):
    await asyncio.sleep(1)
    return a + b

async def fail():
    await asyncio.sleep(1)
    raise ValueError('bad input')

loop = new_loop()
log('first', loop.run_until_complete(add(1, 2)))
try:
    loop.run_until_complete(fail())
except ValueError as e:
    log('raised', fmt_exc(e))
fut = loop.create_future()
loop.call_later(2, fut.set_result, 'from callback')
log('future', loop.run_until_complete(fut))
t = loop.create_task(add(10, 20))
log('task', loop.run_until_complete(t), 'again', loop.run_until_complete(t))
loop.close()
