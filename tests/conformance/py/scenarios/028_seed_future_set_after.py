# Seed (note 003, asyncio.Future 示例2): a task sets a bare future's result after 2s; main
# awaits the task, then the (already done) future.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def set_after(fut):
    await asyncio.sleep(2)
    fut.set_result("666")  # 通常是不会这样设置的，这里只是演示

async def main():
    # 获取当前事件循环
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    log('fut done?', fut.done())
    await loop.create_task(set_after(fut))
    log('fut done?', fut.done())
    # 等待 Future对象获取 最终结果，否则一直等下去
    data = await fut
    log(data)

run(main)
