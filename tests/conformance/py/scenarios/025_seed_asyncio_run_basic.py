# Seed (note 003, "协程函数和对象"): calling a coroutine function runs nothing until the
# coroutine object is handed to asyncio.run().
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def func():
    log("协程内部代码")

# 调用协程函数，返回一个协程对象。
result = func()
log('iscoroutine', asyncio.iscoroutine(result), asyncio.iscoroutinefunction(func))
run(result)
log('after run')
