# Seed (note 003, Task.cancel(): "最好在try-except中处理CancelledError"): cancel a sleeping task;
# it catches CancelledError, prints, and re-raises; caller sees cancelled().
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def work():
    log('work start')
    try:
        await asyncio.sleep(10)
        log('work finished')
    except asyncio.CancelledError as e:
        log('work caught', fmt_exc(e))
        raise
    finally:
        log('work finally')

async def main():
    task = asyncio.create_task(work())
    await asyncio.sleep(1)
    log('cancel returned', task.cancel())
    log('cancelled?', task.cancelled(), 'done?', task.done())
    try:
        await task
    except asyncio.CancelledError as e:
        log('main caught', fmt_exc(e))
    log('cancelled?', task.cancelled(), 'done?', task.done())

run(main)
