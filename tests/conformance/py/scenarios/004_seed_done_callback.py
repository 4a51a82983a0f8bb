# Seed (note 000, "给task绑定回调"): add_done_callback receives the finished task; result
# read inside the callback. TIME delta uses loop time instead of time.time().
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def do():
    log('Waiting: ')
    return 'haha'

def callback(future):
    log('Callback: ', future.result())

loop = new_loop()
start = loop.time()
coroutine = do()
task = asyncio.ensure_future(coroutine)
task.add_done_callback(callback)
loop.run_until_complete(task)
log('TIME: ', f"{loop.time() - start:.3f}")
loop.close()
