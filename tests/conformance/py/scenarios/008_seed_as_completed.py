# Seed (note 000, "asyncio.as_completed()"): iterate as_completed over three tasks and await
# each. print(result) of the iterator object (a repr) is dropped.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def do():
    log(" let's do it ! ")
    await asyncio.sleep(0.5)
    log('done....')
    return 'hello'

async def main():
    await asyncio.sleep(0.5)
    taskList = [
        asyncio.ensure_future(do()),
        asyncio.ensure_future(do()),
        asyncio.ensure_future(do())
    ]
    result = asyncio.as_completed(taskList)
    for task in result:
        res = await task
        log(res)

async def outer():
    await asyncio.wait([asyncio.ensure_future(main())])

loop = new_loop()
start = loop.time()
loop.run_until_complete(outer())
loop.close()
log('total cost time: ', f"{loop.time() - start:.3f}")
