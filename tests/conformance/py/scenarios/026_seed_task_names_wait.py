# Seed (note 003, "Task 对象"): two named tasks (n1, n2) under asyncio.wait(timeout=None).
# print(done, pending) (set reprs) replaced by sorted task names and results.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def func():
    log(1)
    await asyncio.sleep(2)
    log(2)
    return "返回值"

async def main():
    log("main开始")
    task_list = [asyncio.create_task(func(), name="n1"),
                 asyncio.create_task(func(), name="n2")]
    log("main结束")
    done, pending = await asyncio.wait(task_list, timeout=None)
    log(sorted(t.get_name() for t in done), sorted(t.get_name() for t in pending))
    for t in task_list:
        log(t.get_name(), t.result())

run(main)
