# Edge: gather(return_exceptions=True) returns exceptions (incl. CancelledError of a cancelled
# child) in argument order; without it, the first exception propagates and others keep running.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def ok(v, d):
    await asyncio.sleep(d)
    log('ok', v)
    return v

async def bad(msg, d):
    await asyncio.sleep(d)
    log('bad', msg)
    raise ValueError(msg)

async def main():
    victim = asyncio.create_task(ok('victim', 10))
    asyncio.get_running_loop().call_later(0.5, victim.cancel)
    res = await asyncio.gather(ok(1, 1), bad('boom', 0.5), ok(2, 2), victim, return_exceptions=True)
    log([r if isinstance(r, int) else fmt_exc(r) for r in res])
    t2 = asyncio.ensure_future(ok(3, 3))
    try:
        await asyncio.gather(bad('first', 1), bad('second', 2), t2)
    except ValueError as e:
        log('gather raised', fmt_exc(e), 't2.done', t2.done())
    await asyncio.sleep(5)
    log('t2 result', t2.result())

run(main)
