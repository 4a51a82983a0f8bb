# Seed (note 003, "线程一定效率更高吗"): hello3 awaits hello2 then hello1 directly, so they run
# sequentially (total 5s), not concurrently.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
import threading

async def hello1():
    log(f"Hello world 01 begin,my thread is:{threading.current_thread().name}")
    await asyncio.sleep(3)
    log("Hello again 01 end")

async def hello2():
    log(f"Hello world 02 begin,my thread is:{threading.current_thread().name}")
    await asyncio.sleep(2)
    log("Hello again 02 end")

async def hello3():
    log(f"Hello world 03 begin,my thread is:{threading.current_thread().name}")
    await hello2()
    await hello1()
    log("Hello again 03 end")

loop = new_loop()
tasks = [loop.create_task(hello3())]
loop.run_until_complete(asyncio.wait(tasks))
loop.close()
log('---------------------------------------')
log(f"{loop.time():.3f}")
