# Edge: a timeout() around a TaskGroup: the expiry cancels the body, the group cancels its
# children and re-raises CancelledError, and the timeout turns that into TimeoutError; a child
# failing during that cancellation wins (ExceptionGroup, no TimeoutError); wait_for inside a
# timeout with the earlier deadline reports its own TimeoutError first.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def child(name, d, cleanup_error=None):
    try:
        await asyncio.sleep(d)
        log(name, 'done')
    except asyncio.CancelledError:
        log(name, 'cancelled')
        if cleanup_error:
            raise cleanup_error
        raise

async def main():
    try:
        async with asyncio.timeout(1) as cm:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child('a', 0.5))
                tg.create_task(child('b', 5))
                log('body waits')
    except TimeoutError:
        log('TimeoutError, expired', cm.expired(), 'cancelling', asyncio.current_task().cancelling())

    try:
        async with asyncio.timeout(1) as cm:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child('c', 5, ValueError('c cleanup')))
    except TimeoutError:
        log('TimeoutError')
    except ExceptionGroup as eg:
        print_exc(eg, 'group wins, expired', cm.expired())
    log('cancelling after the group', asyncio.current_task().cancelling())

    try:
        async with asyncio.timeout(2) as cm:
            try:
                await asyncio.wait_for(child('d', 5), 1)
            except TimeoutError:
                log('wait_for TimeoutError first, scope expired', cm.expired())
            await asyncio.sleep(5)
    except TimeoutError:
        log('then the scope TimeoutError, expired', cm.expired())

    try:
        async with asyncio.timeout(1):
            await asyncio.wait_for(child('e', 5), 2)
    except TimeoutError:
        log('scope TimeoutError around wait_for')

run(main)
