# Seed (note 003, "协程对象运行"): create_task, isinstance(task, asyncio.Task) and task._state
# PENDING before and FINISHED after run_until_complete.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def main():
    loop = new_loop()
    start = loop.time()

    async def do_some_work():
        log('Start coroutine')
        log('This is a coroutine')

    coroutine = do_some_work()
    task = loop.create_task(coroutine)  # 1
    log('task 是不是 asyncio.Task 的实例?', isinstance(task, asyncio.Task))  # 2
    log('Task state:', task._state)  # 3
    loop.run_until_complete(task)  # 4
    log('Task state:', task._state)
    end = loop.time()
    log('运行耗时：{:.4f}'.format(end - start))
    loop.close()

main()
