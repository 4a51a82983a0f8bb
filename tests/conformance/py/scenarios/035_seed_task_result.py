# Seed (note 003, "通过result获取"): ensure_future task result read after run_until_complete.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def hello1(a, b):
    log("Hello world 01 begin")
    await asyncio.sleep(3)  # 模拟耗时任务3秒
    log("Hello again 01 end")
    return a + b

loop = new_loop()  # 第一步：创建事件循环
coroutine = hello1(10, 5)
task = asyncio.ensure_future(coroutine)  # 第二步:将多个协程函数包装成任务列表
loop.run_until_complete(task)  # 第三步：通过事件循环运行
log('-------------------------------------')
log(task.result())
loop.close()
