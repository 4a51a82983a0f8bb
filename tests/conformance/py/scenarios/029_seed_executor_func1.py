# Seed (note 003, futures.Future): run_in_executor(None, func1) wraps a concurrent future.
# func1's time.sleep(2) is dropped (threads take zero virtual time under the harness).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def func1():
    # 某个耗时操作 (was time.sleep(2))
    return "defaulf pool"

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(None, func1)
    log('isfuture', asyncio.isfuture(fut))
    result = await fut
    log('default thread pool', result)

run(main)
