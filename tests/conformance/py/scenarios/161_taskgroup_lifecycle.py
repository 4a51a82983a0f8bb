# Edge: TaskGroup.create_task before entry, while aborting and after the group finished raises
# RuntimeError with asyncio's text; a body error comes after the child errors in the group; a
# child that fails while the parent is being cancelled from outside turns the CancelledError
# into an ExceptionGroup, and the outside cancel stays counted on the parent.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def child(name, d, fail=False, cleanup_error=None):
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError:
        log(name, 'cancelled')
        if cleanup_error:
            raise cleanup_error
        raise
    if fail:
        log(name, 'raising')
        raise ValueError(name)
    log(name, 'done')

def try_create(tg, what):
    c = child('late', 1)
    try:
        tg.create_task(c)
        log(what, 'accepted')
    except RuntimeError as e:
        c.close()
        log(what, fmt_exc(e))

async def main():
    tg0 = asyncio.TaskGroup()
    try_create(tg0, 'before entry:')

    tg = asyncio.TaskGroup()
    try:
        async with tg:
            tg.create_task(child('a', 1, fail=True))
            tg.create_task(child('b', 5, cleanup_error=ZeroDivisionError('b cleanup')))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                log('body cancelled; creating while aborting')
                try_create(tg, 'while aborting:')
                raise RuntimeError('body failed')
    except ExceptionGroup as eg:
        print_exc(eg, 'group:')
    try_create(tg, 'after finish:')

    async def parent():
        async with asyncio.TaskGroup() as g:
            g.create_task(child('c', 5, cleanup_error=ValueError('c cleanup')))
            await asyncio.sleep(10)

    p = asyncio.create_task(parent())
    await asyncio.sleep(1)
    p.cancel()
    try:
        await p
    except ExceptionGroup as eg:
        print_exc(eg, 'parent raised')
    log('parent cancelled', p.cancelled(), 'cancelling', p.cancelling())

run(main)
