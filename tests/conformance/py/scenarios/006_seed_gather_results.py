# Seed (note 000): main() sleeps, then gathers three ensure_future(do()) tasks and prints
# the result list and each result.
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
    result = await asyncio.gather(*taskList)
    log(result)
    for res in result:
        log('result : ', res)

run(main)
