# Seed (note 004, call_soon): call_soon with a positional arg and with functools.partial
# binding a keyword argument; both run (FIFO) before the 0.2s sleep ends.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
import functools

def callback(args, *, kwargs="defalut"):
    log(f"普通函数做为回调函数,获取参数:{args},{kwargs}")

async def main(loop):
    log("注册callback")
    loop.call_soon(callback, 1)
    wrapped = functools.partial(callback, kwargs="not defalut")
    loop.call_soon(wrapped, 2)
    await asyncio.sleep(0.2)

if __name__ == '__main__':
    loop = new_loop()
try:
    loop.run_until_complete(main(loop))
finally:
    loop.close()
