# Edge: nested TaskGroups; cancelling the outer task cancels all children of both groups,
# and the outer task ends cancelled (TaskGroup re-raises CancelledError, not a group).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def child(name, d):
    try:
        await asyncio.sleep(d)
        log(name, 'finished')
    except asyncio.CancelledError:
        log(name, 'cancelled')
        raise

async def inner_group():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child('inner-a', 5))
            tg.create_task(child('inner-b', 1))
        log('inner group exited normally')
    finally:
        log('inner_group finally')

async def outer():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child('outer-a', 5))
            tg.create_task(inner_group())
    except asyncio.CancelledError:
        log('outer saw CancelledError')
        raise

async def main():
    t = asyncio.create_task(outer())
    await asyncio.sleep(2)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log('main: outer task cancelled', t.cancelled())

run(main)
