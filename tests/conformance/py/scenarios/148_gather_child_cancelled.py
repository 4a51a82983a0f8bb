# Edge: when a gather child (not the gather) is cancelled, gather raises CancelledError but
# the other children keep running.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def child(name, d):
    await asyncio.sleep(d)
    log(name, 'finished')
    return name

async def main():
    ts = [asyncio.create_task(child(f'c{i}', i + 1)) for i in range(3)]
    g = asyncio.gather(*ts)
    asyncio.get_running_loop().call_later(0.5, ts[1].cancel)
    try:
        await g
    except asyncio.CancelledError as e:
        log('gather raised', fmt_exc(e), 'g.cancelled', g.cancelled())
    log('others still running', ts[0].done(), ts[2].done())
    await asyncio.sleep(3)
    log('results', ts[0].result(), ts[1].cancelled(), ts[2].result())

run(main)
