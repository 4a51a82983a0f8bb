# Seed (note 000, "使用async.coroutine和yield from"): @asyncio.coroutine foo() modernised to
# async def; asyncio.wait() on bare coroutines replaced by a list of tasks.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def foo():
    log('foo running ....')
    await asyncio.sleep(1)
    log('foo done . . . ')

async def main():
    await asyncio.wait([asyncio.ensure_future(foo()), asyncio.ensure_future(foo())])

loop = new_loop()
loop.run_until_complete(main())  # 将协程注册到事件循环
loop.close()
