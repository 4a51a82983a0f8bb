# Seed (note 004, "协程"): simplest run_until_complete of a coroutine, with try/finally close.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def foo():
    log("这是一个协程")

if __name__ == '__main__':
    loop = new_loop()
    try:
        log("开始运行协程")
        coro = foo()
        log("进入事件循环")
        loop.run_until_complete(coro)
    finally:
        log("关闭事件循环")
        loop.close()
