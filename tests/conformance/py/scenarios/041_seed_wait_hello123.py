# Seed (note 003, "使用wait可以同时注册多个任务"): same hello1/2/3 under asyncio.wait. The
# original iterates the done set (hash order); here done tasks are read in creation order.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def hello1(a, b):
    log("Hello world 01 begin")
    await asyncio.sleep(3)
    log("Hello again 01 end")
    return a + b

async def hello2(a, b):
    log("Hello world 02 begin")
    await asyncio.sleep(2)
    log("Hello again 02 end")
    return a - b

async def hello3(a, b):
    log("Hello world 03 begin")
    await asyncio.sleep(4)
    log("Hello again 03 end")
    return a * b

async def main():
    task1 = asyncio.ensure_future(hello1(10, 5))
    task2 = asyncio.ensure_future(hello2(10, 5))
    task3 = asyncio.ensure_future(hello3(10, 5))
    done, pending = await asyncio.wait([task1, task2, task3])
    for done_task in (task1, task2, task3):
        if done_task in done:
            log(done_task.result())

loop = new_loop()
loop.run_until_complete(main())
loop.close()
