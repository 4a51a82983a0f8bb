# Seed (note 003, "很多个协程一起运行有创建新的线程吗"): three tasks all report the same thread
# (thread repr replaced by its name). Bare coroutines in wait() replaced by tasks.
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
    await asyncio.sleep(1)
    log("Hello again 03 end")

loop = new_loop()
tasks = [loop.create_task(hello1()), loop.create_task(hello2()), loop.create_task(hello3())]
loop.run_until_complete(asyncio.wait(tasks))
loop.close()
log('---------------------------------------')
log(f"{loop.time():.3f}")
