# Edge: a task cancelled before its first step never runs its body (not even up to the first
# await or a finally); it ends cancelled with the message; uncancel() before it starts does not
# take the cancellation back (3.11); cancel() of a done task returns False.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def body(name):
    try:
        log(name, 'body started')
        await asyncio.sleep(1)
        log(name, 'body finished')
        return name
    finally:
        log(name, 'finally')

async def main():
    t = asyncio.create_task(body('a'))
    t.add_done_callback(lambda f: log('callback: cancelled', f.cancelled(), 'done', f.done()))
    log('cancel ->', t.cancel('early'), 'cancelling', t.cancelling(), 'done', t.done())
    log('cancel again ->', t.cancel('second'), 'cancelling', t.cancelling())
    try:
        await t
    except asyncio.CancelledError as e:
        log('await a:', fmt_exc(e))
    log('a cancelled', t.cancelled(), 'done', t.done())
    try:
        t.result()
    except asyncio.CancelledError as e:
        log('a.result():', fmt_exc(e))
    try:
        t.exception()
    except asyncio.CancelledError as e:
        log('a.exception():', fmt_exc(e))
    log('cancel done a ->', t.cancel())

    u = asyncio.create_task(body('b'))
    log('cancel b ->', u.cancel(), 'uncancel ->', u.uncancel(), 'cancelling', u.cancelling())
    await asyncio.sleep(0)
    log('b done', u.done(), 'cancelled', u.cancelled())

    v = asyncio.create_task(body('c'))
    await asyncio.sleep(2)
    log('c result', v.result(), 'cancel done c ->', v.cancel(), 'cancelled', v.cancelled())

    w = asyncio.create_task(body('d'))
    log('cancel d ->', w.cancel('d-msg'))
    g = await asyncio.gather(w, return_exceptions=True)
    log('gather of cancelled-before-start:', [fmt_exc(r) for r in g])

run(main)
