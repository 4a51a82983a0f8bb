# Seed (note 000, "嵌套协程"): two main() coroutines each wait on three do() tasks. The original
# iterates the done *set* (hash order); here results are read in task-list order.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def do():
    log(" let's do it ! ")
    await asyncio.sleep(0.5)  # 模拟协程内阻塞IO
    log('done....')
    return 'hello'

async def main():
    await asyncio.sleep(0.5)  # 模拟协程内阻塞IO
    taskList = [
        asyncio.ensure_future(do()),
        asyncio.ensure_future(do()),
        asyncio.ensure_future(do())
    ]
    dones, pendings = await asyncio.wait(taskList)
    for task in taskList:
        if task in dones:
            log('result : ', task.result())

async def outer():
    await asyncio.wait([asyncio.ensure_future(main()), asyncio.ensure_future(main())])

loop = new_loop()
start = loop.time()
loop.run_until_complete(outer())
loop.close()
log('total cost time: ', f"{loop.time() - start:.3f}")  # 1.0
