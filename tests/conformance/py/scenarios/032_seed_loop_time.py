# Seed (note 003, "事件循环的时钟"): loop.time() before and after run_until_complete of a 3s
# coroutine; the delta is exactly 3 on the virtual clock.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def hello1(a, b):
    log('准备做加法运算')
    await asyncio.sleep(3)
    return a + b

loop = new_loop()
t1 = loop.time()  # 开始时间
log(f"{t1:.3f}")
r = loop.run_until_complete(hello1(3, 4))
t2 = loop.time()  # 结束时间
log(f"{t2:.3f}")
log(f"{t2 - t1:.3f}")  # 时间间隔
log(r)
loop.close()
