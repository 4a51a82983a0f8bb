# Seed (note 004, call_at): call_at(now+0.1/now+0.2) and call_soon; each callback prints
# loop.time() (formatted with 3 decimals instead of the raw float repr).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def call_back(n, loop):
    log(f"callback {n} 运行时间点{loop.time():.3f}")

async def main(loop):
    now = loop.time()
    log("当前的内部时间", f"{now:.3f}")
    log("循环时间", f"{now:.3f}")
    log("注册callback")
    loop.call_at(now + 0.1, call_back, 1, loop)
    loop.call_at(now + 0.2, call_back, 2, loop)
    loop.call_soon(call_back, 3, loop)
    await asyncio.sleep(1)

if __name__ == '__main__':
    loop = new_loop()
    try:
        log("进入事件循环")
        loop.run_until_complete(main(loop))
    finally:
        log("关闭循环")
        loop.close()
