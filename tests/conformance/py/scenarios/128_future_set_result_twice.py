# Edge: set_result / set_exception / (after cancel) on a done future raise InvalidStateError
# with asyncio's exact message; cancel() on a done future returns False.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result(1)
    for op in (lambda: f.set_result(2), lambda: f.set_exception(ValueError('x'))):
        try:
            op()
        except asyncio.InvalidStateError as e:
            log(fmt_exc(e))
    log('cancel done future ->', f.cancel(), 'result', f.result())
    g = loop.create_future()
    log('cancel pending future ->', g.cancel(), 'again ->', g.cancel())
    try:
        g.set_result(3)
    except asyncio.InvalidStateError as e:
        log(fmt_exc(e))
    h = loop.create_future()
    h.set_exception(ValueError('stored'))
    try:
        h.set_result(4)
    except asyncio.InvalidStateError as e:
        log(fmt_exc(e))
    log('h.exception()', fmt_exc(h.exception()))

run(main)
