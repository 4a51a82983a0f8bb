# Edge: a task / future whose exception is never retrieved reports "... exception was never
# retrieved" to the loop exception handler when garbage-collected; a retrieved one does not.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
import gc

def handler(loop, context):
    exc = context.get('exception')
    log('handler:', context['message'], '|', fmt_exc(exc))

async def boom(msg):
    raise ValueError(msg)

async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    t = asyncio.create_task(boom('never retrieved'))
    await asyncio.sleep(0)
    log('task done', t.done())
    del t
    gc.collect()
    log('after gc (task)')
    f = loop.create_future()
    f.set_exception(RuntimeError('future never retrieved'))
    del f
    gc.collect()
    log('after gc (future)')
    t = asyncio.create_task(boom('retrieved'))
    await asyncio.sleep(0)
    log('exception()', fmt_exc(t.exception()))
    del t
    gc.collect()
    log('after gc (retrieved: no report)')

run(main)
