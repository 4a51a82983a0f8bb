# Edge: gather of already-done futures (result, exception with return_exceptions, cancelled)
# still completes asynchronously; gather() with no args returns [].
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    loop = asyncio.get_running_loop()
    a = loop.create_future(); a.set_result(1)
    b = loop.create_future(); b.set_exception(ValueError('b failed'))
    c = loop.create_future(); c.cancel()
    g = asyncio.gather(a, b, c, return_exceptions=True)
    log('gather done immediately?', g.done())
    res = await g
    log([r if isinstance(r, int) else fmt_exc(r) for r in res])
    log('empty gather', await asyncio.gather())
    d = loop.create_future(); d.set_result(2)
    log('same future twice', await asyncio.gather(d, d, a))
    try:
        await asyncio.gather(a, b)
    except ValueError as e:
        log('without return_exceptions:', fmt_exc(e))

run(main)
