# Seed (note 003, "使用gather同时注册多个任务"): hello1/2/3 (3s, 2s, 4s) gathered; results in
# argument order 15 5 50 regardless of completion order.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def hello1(a, b):
    log("Hello world 01 begin")
    await asyncio.sleep(3)  # 模拟耗时任务3秒
    log("Hello again 01 end")
    return a + b

async def hello2(a, b):
    log("Hello world 02 begin")
    await asyncio.sleep(2)  # 模拟耗时任务2秒
    log("Hello again 02 end")
    return a - b

async def hello3(a, b):
    log("Hello world 03 begin")
    await asyncio.sleep(4)  # 模拟耗时任务4秒
    log("Hello again 03 end")
    return a * b

async def main():  # 封装多任务的入口函数
    task1 = asyncio.ensure_future(hello1(10, 5))
    task2 = asyncio.ensure_future(hello2(10, 5))
    task3 = asyncio.ensure_future(hello3(10, 5))
    results = await asyncio.gather(task1, task2, task3)
    for result in results:  # 顺序都没变
        log(result)

loop = new_loop()
loop.run_until_complete(main())
loop.close()
