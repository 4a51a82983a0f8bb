# Seed (note 003, "主调方获取任务的运行结果"): main returns await gather(...); caller iterates
# run_until_complete's result outside the loop.
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
    return await asyncio.gather(task1, task2, task3)  # 不在这里获取结果，只是返回

loop = new_loop()
results = loop.run_until_complete(main())  # 在这里再获取返回函数值,然后迭代获取
for result in results:
    log(result)
loop.close()
