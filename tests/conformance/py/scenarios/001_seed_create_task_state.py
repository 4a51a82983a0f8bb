# Seed (note 000, "task对象有两种状态"): loop.create_task on a coroutine; state before/after
# run_until_complete. print(task) repr replaced by task._state.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def do(x):
    log('wating:', x)

loop = new_loop()
corontine = do(1)
task = loop.create_task(corontine)
log(task._state)  # pending
loop.run_until_complete(task)
log(task._state)  # finished
loop.close()
