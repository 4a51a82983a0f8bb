# Seed (note 003, 异步上下文管理器): __aenter__ sleeps 1s, body prints 666, __aexit__ sleeps 1s.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

class AsyncContextManager:
    def __init__(self):
        self.conn = None
    async def do_something(self):
        # 异步操作数据库
        return 666
    async def __aenter__(self):
        # 异步链接数据库
        self.conn = await asyncio.sleep(1)
        log('aenter done')
        return self
    async def __aexit__(self, exc_type, exc, tb):
        # 异步关闭数据库链接
        await asyncio.sleep(1)
        log('aexit done', exc_type)

async def func():
    async with AsyncContextManager() as f:
        result = await f.do_something()
        log(result)
    log('after async with')

run(func())
