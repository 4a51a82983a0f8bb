# Seed (note 003, 多任务 four()): two loop.create_task tasks (3s, 1s) gathered; results via
# task.result() and via run_until_complete's return value.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def four():
    loop = new_loop()
    start = loop.time()

    async def corowork(name, t):
        log('[corowork] Start coroutine', name)
        await asyncio.sleep(t)  # 1
        log('[corowork] Stop coroutine', name)
        return 'Coroutine {} OK'.format(name)  # 2

    coroutine1 = corowork('ONE', 3)  # 3
    coroutine2 = corowork('TWO', 1)  # 3
    task1 = loop.create_task(coroutine1)  # 4
    task2 = loop.create_task(coroutine2)  # 4
    gather = asyncio.gather(task1, task2)  # 5
    result = loop.run_until_complete(gather)  # 6
    log('[task1] ', task1.result())  # 7
    log('[task2] ', task2.result())  # 7
    log(result)
    end = loop.time()
    log('运行耗时：{:.4f}'.format(end - start))
    loop.close()

four()
