# Seed (note 003, event_loop): sequential awaits of say_after_time(1)/(2); time.time() prints
# replaced by loop time -> finishes at 3.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def say_after_time(delay, what):
    await asyncio.sleep(delay)
    log(what)

async def main():
    log(f"开始时间为： {asyncio.get_running_loop().time():.3f}")
    await say_after_time(1, "hello")
    await say_after_time(2, "world")
    log(f"结束时间为： {asyncio.get_running_loop().time():.3f}")

loop = new_loop()  # 创建事件循环对象
loop.run_until_complete(main())  # 通过事件循环对象运行协程函数
loop.close()
