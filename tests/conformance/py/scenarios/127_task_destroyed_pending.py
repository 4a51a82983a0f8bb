# Edge: a pending task that becomes garbage (it awaits a future nobody else references)
# reports "Task was destroyed but it is pending!" to the exception handler on gc.collect().
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
import gc

def handler(loop, context):
    log('handler:', context['message'], '| exception' if 'exception' in context else '| no exception',
        '| task key present', 'task' in context)

async def forever():
    log('forever: awaiting an orphan future')
    await asyncio.get_running_loop().create_future()
    log('not reached')

async def main():
    asyncio.get_running_loop().set_exception_handler(handler)
    t = asyncio.create_task(forever())
    await asyncio.sleep(0)
    log('pending', not t.done(), 'all_tasks', len(asyncio.all_tasks()))
    del t
    gc.collect()
    log('after gc, all_tasks', len(asyncio.all_tasks()))

run(main)
