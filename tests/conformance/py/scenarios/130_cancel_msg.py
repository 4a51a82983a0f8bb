# Edge: cancel(msg) message propagation: str(CancelledError) inside the task, at the awaiter,
# and from result() of a cancelled task/future; cancel() without msg gives an empty str.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def victim():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        log('inside:', fmt_exc(e), '| args', len(e.args))
        raise

async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(victim())
    await asyncio.sleep(0)
    t.cancel('stop now')
    try:
        await t
    except asyncio.CancelledError as e:
        log('awaiter:', fmt_exc(e))
    try:
        t.result()
    except asyncio.CancelledError as e:
        log('result():', fmt_exc(e))
    t2 = asyncio.create_task(victim())
    await asyncio.sleep(0)
    t2.cancel()
    try:
        await t2
    except asyncio.CancelledError as e:
        log('no msg awaiter:', fmt_exc(e))
    f = loop.create_future()
    f.cancel(msg='future msg')
    try:
        f.result()
    except asyncio.CancelledError as e:
        log('future result():', fmt_exc(e))
    try:
        await f
    except asyncio.CancelledError as e:
        log('await future:', fmt_exc(e))

run(main)
