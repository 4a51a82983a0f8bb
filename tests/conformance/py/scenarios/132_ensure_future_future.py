# Edge: ensure_future returns a Future/Task argument unchanged; wraps a coroutine in a new
# Task; wraps an arbitrary awaitable (__await__) in a Task too.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

class Awaitable:
    def __await__(self):
        yield from asyncio.sleep(1).__await__()
        return 'custom awaitable'

async def coro():
    return 'coro result'

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    log('future unchanged', asyncio.ensure_future(f) is f)
    t = asyncio.create_task(coro())
    log('task unchanged', asyncio.ensure_future(t) is t)
    c = asyncio.ensure_future(coro())
    log('coroutine -> Task', isinstance(c, asyncio.Task), await c)
    a = asyncio.ensure_future(Awaitable())
    log('awaitable -> Task', isinstance(a, asyncio.Task), await a)
    f.set_result('f')
    log('isfuture', asyncio.isfuture(f), asyncio.isfuture(t), asyncio.isfuture(coro))

run(main)
