# Seed (note 003, async/await 关键字): func awaits the others() coroutine twice, sequentially.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def others():
    log("start")
    await asyncio.sleep(2)
    log('end')
    return '返回值'

async def func():
    log("执行协程函数内部代码")
    response1 = await others()
    log("IO请求结束，结果为：", response1)
    response2 = await others()
    log("IO请求结束，结果为：", response2)

run(func())
