# Seed (note 001, asyncio.wait): wait({task}) on a task returning 42; check membership in done.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def foo():
    return 42

async def main():
    task = asyncio.create_task(foo())
    done, pending = await asyncio.wait({task})
    if task in done:
        # do something
        log('task in done', task.result(), 'pending', len(pending))

run(main)
