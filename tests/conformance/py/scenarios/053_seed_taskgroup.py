# Modern form (3.11) of the say_after example: asyncio.TaskGroup instead of create_task/await.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def say_after(delay, what):
    await asyncio.sleep(delay)
    log(what)
    return what

async def main():
    async with asyncio.TaskGroup() as tg:
        task1 = tg.create_task(say_after(1, 'hello'))
        task2 = tg.create_task(say_after(2, 'world'))
        log("started")
    log("finished", task1.result(), task2.result())

run(main)
