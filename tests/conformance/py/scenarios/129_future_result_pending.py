# Edge: result()/exception() of a pending future raise InvalidStateError; on a cancelled
# future both raise CancelledError; exception() of a successful future is None.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    for name, op in (('result', f.result), ('exception', f.exception)):
        try:
            op()
        except asyncio.InvalidStateError as e:
            log(name, 'of pending:', fmt_exc(e))
    f.cancel()
    for name, op in (('result', f.result), ('exception', f.exception)):
        try:
            op()
        except asyncio.CancelledError as e:
            log(name, 'of cancelled:', fmt_exc(e))
    g = loop.create_future()
    g.set_result('ok')
    log('exception() of done:', g.exception(), 'result', g.result())
    t = asyncio.create_task(asyncio.sleep(1))
    try:
        t.result()
    except asyncio.InvalidStateError as e:
        log('task result of pending:', fmt_exc(e))
    await t

run(main)
