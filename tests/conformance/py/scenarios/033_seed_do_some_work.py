# Seed (note 003, "协程入门例子"): @asyncio.coroutine do_some_work modernised; its blocking
# time.sleep(0.1) is dropped; run time printed from the loop clock.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def main():
    loop = new_loop()  # 4
    start = loop.time()

    async def do_some_work():  # 1 2
        log('Start coroutine')
        log('This is a coroutine')

    coroutine = do_some_work()  # 5
    loop.run_until_complete(coroutine)  # 6
    end = loop.time()
    log('运行耗时：{:.4f}'.format(end - start))  # 7
    loop.close()

main()
