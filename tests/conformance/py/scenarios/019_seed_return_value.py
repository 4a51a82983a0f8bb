# Seed (note 004, "从协程中返回值"): run_until_complete returns the coroutine's return value.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def foo():
    log("这是一个协程")
    return "返回值"

if __name__ == '__main__':
    loop = new_loop()
    try:
        log("开始运行协程")
        coro = foo()
        log("进入事件循环")
        result = loop.run_until_complete(coro)
        log(f"run_until_complete可以获取协程的{result}，默认输出None")
    finally:
        log("关闭事件循环")
        loop.close()
