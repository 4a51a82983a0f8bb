# Edge: task names: name= at creation, set_name/get_name, non-str names are str()-ed.
# Default "Task-N" names use a process-global counter, so only the prefix is printed.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def named():
    me = asyncio.current_task()
    log('running as', me.get_name())
    me.set_name('renamed-inside')
    await asyncio.sleep(0)
    return me.get_name()

async def main():
    t = asyncio.create_task(named(), name='worker-1')
    log('created', t.get_name())
    log('result', await t)
    d = asyncio.create_task(asyncio.sleep(0))
    log('default name prefix ok', d.get_name().startswith('Task-'))
    d.set_name(42)
    log('set_name(42) ->', d.get_name(), type(d.get_name()).__name__)
    await d

run(main)
