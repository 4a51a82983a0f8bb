# Edge: the exact str() of loop misuse errors: run_until_complete / run_forever while the loop
# runs, close() of a running loop, call_soon / create_task on a closed loop, run_until_complete
# of a loop stopped before the future completed.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def inside(loop):
    try:
        loop.run_until_complete(loop.create_future())
    except RuntimeError as e:
        log('run_until_complete inside:', fmt_exc(e))
    try:
        loop.run_forever()
    except RuntimeError as e:
        log('run_forever inside:', fmt_exc(e))
    try:
        loop.close()
    except RuntimeError as e:
        log('close inside:', fmt_exc(e))
    return 'ok'

async def forever():
    await asyncio.sleep(100)

def main():
    loop = new_loop()
    c = inside(loop)
    log('inside ->', loop.run_until_complete(c))
    loop.call_later(1, loop.stop)
    t = loop.create_task(forever())
    try:
        loop.run_until_complete(t)
    except RuntimeError as e:
        log('stopped early:', fmt_exc(e), 'task done', t.done())
    t.cancel()
    try:
        loop.run_until_complete(t)
    except asyncio.CancelledError:
        log('task cancelled', t.cancelled())
    loop.close()
    log('closed', loop.is_closed())
    loop.close()
    log('second close is a no-op')
    try:
        loop.call_soon(print, 'never')
    except RuntimeError as e:
        log('call_soon closed:', fmt_exc(e))
    try:
        loop.call_later(1, print, 'never')
    except RuntimeError as e:
        log('call_later closed:', fmt_exc(e))
    co = forever()
    try:
        loop.create_task(co)
    except RuntimeError as e:
        co.close()
        log('create_task closed:', fmt_exc(e))
    try:
        loop.create_future().set_result(1)
        log('create_future on a closed loop works')
    except RuntimeError as e:
        log('create_future closed:', fmt_exc(e))
    try:
        loop.run_forever()
    except RuntimeError as e:
        log('run_forever closed:', fmt_exc(e))

main()
