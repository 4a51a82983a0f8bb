# Seed (note 003, "回调绑定"): done callback with a bound argument via functools.partial;
# the callback sees the task already FINISHED.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
import functools

def three():
    loop = new_loop()
    start = loop.time()

    async def corowork():  # 1
        log('[corowork] Start coroutine')
        log('[corowork] This is a coroutine')

    def callback(name, task):  # 2
        log('[callback] Hello {}'.format(name))
        log('[callback] coroutine state: {}'.format(task._state))

    coroutine = corowork()
    task = loop.create_task(coroutine)
    task.add_done_callback(functools.partial(callback, 'Shiyanlou'))  # 3
    loop.run_until_complete(task)
    end = loop.time()
    log('运行耗时：{:.4f}'.format(end - start))
    loop.close()

three()
