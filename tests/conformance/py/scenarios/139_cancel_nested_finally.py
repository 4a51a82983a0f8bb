# Edge: CancelledError propagates through nested coroutine frames, running every finally
# block innermost-first; an except that handles it and re-raises is also visited.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def level3():
    try:
        log('level3 sleeping')
        await asyncio.sleep(10)
    finally:
        log('level3 finally')

async def level2():
    try:
        await level3()
    except asyncio.CancelledError:
        log('level2 except, re-raising')
        raise
    finally:
        log('level2 finally')

async def level1():
    try:
        await level2()
        log('not reached')
    finally:
        log('level1 finally')

async def main():
    t = asyncio.create_task(level1())
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log('main: task cancelled', t.cancelled())

run(main)
