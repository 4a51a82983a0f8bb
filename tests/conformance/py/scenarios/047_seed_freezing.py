# Seed (note 003, "异步方法假死"): main awaits hello1 (3s) and needs its result: 30.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def hello1(a, b):
    log(f"异步函数开始执行")
    await asyncio.sleep(3)
    log("异步函数执行结束")
    return a + b

async def main():
    c = await hello1(10, 20)
    log(c)
    log("主函数执行")

loop = new_loop()
tasks = [loop.create_task(main())]
loop.run_until_complete(asyncio.wait(tasks))
loop.close()
