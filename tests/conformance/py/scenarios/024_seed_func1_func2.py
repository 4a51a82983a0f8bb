# Seed (note 003, "入门示例"): func1/func2 (both the @asyncio.coroutine and async/await versions
# are the same program once modernised) as ensure_future tasks under asyncio.wait: 1 3 2 4.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def func1():
    log(1)
    await asyncio.sleep(2)  # 遇到IO耗时操作，自动化切换到tasks中的其他任务
    log(2)

async def func2():
    log(3)
    await asyncio.sleep(2)  # 遇到IO耗时操作，自动化切换到tasks中的其他任务
    log(4)

loop = new_loop()
tasks = [asyncio.ensure_future(func1()),
         asyncio.ensure_future(func2())]
loop.run_until_complete(asyncio.wait(tasks))
loop.close()
