# Edge: current_task() inside tasks / None in a plain callback; all_tasks() counts only
# unfinished tasks of the running loop (main included).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def child(name, d):
    log(name, 'current is self', asyncio.current_task().get_name() == name)
    await asyncio.sleep(d)

def plain_callback():
    log('current_task in callback is None', asyncio.current_task() is None)

async def main():
    log('main current name', asyncio.current_task().get_name() == 'main')
    ts = [asyncio.create_task(child(f'c{i}', i + 1), name=f'c{i}') for i in range(3)]
    log('all_tasks before children ran', len(asyncio.all_tasks()))
    asyncio.get_running_loop().call_soon(plain_callback)
    await asyncio.sleep(1.5)
    log('all_tasks at 1.5', len(asyncio.all_tasks()),
        sorted(t.get_name() for t in asyncio.all_tasks()))
    await asyncio.gather(*ts)
    log('all_tasks at end', len(asyncio.all_tasks()))

async def boot():
    asyncio.current_task().set_name('main')
    await main()

run(boot)
