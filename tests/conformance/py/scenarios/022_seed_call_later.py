# Seed (note 004, call_later): call_soon runs before both call_later callbacks regardless of
# registration order; the shorter delay fires first.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def callback(n):
    log(f"callback {n} invoked")

async def main(loop):
    log("注册callbacks")
    loop.call_later(0.2, callback, 1)
    loop.call_later(0.1, callback, 2)
    loop.call_soon(callback, 3)
    await asyncio.sleep(0.4)

if __name__ == '__main__':
    loop = new_loop()
    try:
        loop.run_until_complete(main(loop))
    finally:
        loop.close()
