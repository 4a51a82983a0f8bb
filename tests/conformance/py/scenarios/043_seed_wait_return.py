# Seed (note 003): main returns await asyncio.wait(...); caller unpacks (done, pending) after
# run_until_complete. Done set read in creation order (the original iterates the set).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def hello(n, a, b, delay, op):
    log(f"Hello world 0{n} begin")
    await asyncio.sleep(delay)
    log(f"Hello again 0{n} end")
    return op(a, b)

tasks = []

async def main():
    tasks.append(asyncio.ensure_future(hello(1, 10, 5, 3, lambda a, b: a + b)))
    tasks.append(asyncio.ensure_future(hello(2, 10, 5, 2, lambda a, b: a - b)))
    tasks.append(asyncio.ensure_future(hello(3, 10, 5, 4, lambda a, b: a * b)))
    return await asyncio.wait(tasks)  # 不在这里获取结果，只是返回

loop = new_loop()
done, pending = loop.run_until_complete(main())
for done_task in tasks:
    if done_task in done:
        log(done_task.result())
log('pending', len(pending))
loop.close()
