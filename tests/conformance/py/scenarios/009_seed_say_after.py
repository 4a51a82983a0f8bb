# Seed (note 001, "使用示例"): two create_task say_after tasks (hello after 1s, world after 2s);
# strftime wall-clock prints replaced by loop time. debug=True/logging dropped (debug off).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def say_after(delay, what):
    await asyncio.sleep(delay)
    log(what)

async def main():
    task1 = asyncio.create_task(say_after(1, 'hello'))
    task2 = asyncio.create_task(say_after(2, 'world'))
    log(f"started at {asyncio.get_running_loop().time():.3f}")
    await task1
    await task2
    log(f"finished at {asyncio.get_running_loop().time():.3f}")

run(main)
