# Edge: awaiting an already-done future does not suspend (no other task runs in between),
# whereas awaiting a pending one does.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def other():
    log('other ran')

async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result('ready')
    t = asyncio.create_task(other())
    log('before await of done future')
    r = await f
    log('after await', r, '| other done?', t.done())
    g = loop.create_future()
    loop.call_soon(g.set_result, 'later')
    r = await g
    log('after await pending', r, '| other done?', t.done())
    t2 = asyncio.create_task(other())
    r = await asyncio.sleep(0, 'yield')
    log('after sleep(0)', r, '| other2 done?', t2.done())

run(main)
