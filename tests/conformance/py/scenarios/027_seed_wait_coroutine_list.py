# Seed (note 003): asyncio.run(asyncio.wait([func(), func()])). Python 3.11 rejects bare
# coroutines in wait(), so they are wrapped in tasks inside a main coroutine.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def func():
    log("执行协程函数内部代码")
    # 遇到IO操作挂起当前协程（任务），等IO操作完成之后再继续往下执行。
    response = await asyncio.sleep(2)
    log("IO请求结束，结果为：", response)

async def main():
    coroutine_list = [asyncio.create_task(func()), asyncio.create_task(func())]
    return await asyncio.wait(coroutine_list)

done, pending = run(main)
log(len(done), len(pending))
