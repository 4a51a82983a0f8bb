# Edge: done callbacks run in registration order via call_soon (not synchronously);
# remove_done_callback removes every registration of that function and returns the count;
# adding a callback to a done future schedules it.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
import functools

def cb(name, fut):
    log('callback', name, fut.result())

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    a = functools.partial(cb, 'a')
    fut.add_done_callback(a)
    fut.add_done_callback(functools.partial(cb, 'b'))
    fut.add_done_callback(a)
    fut.add_done_callback(functools.partial(cb, 'c'))
    log('removed', fut.remove_done_callback(a))
    log('removed again', fut.remove_done_callback(a))
    loop.call_soon(log, 'call_soon before set_result')
    fut.set_result('R')
    loop.call_soon(log, 'call_soon after set_result')
    log('set_result returned; nothing ran yet')
    await asyncio.sleep(0)
    fut.add_done_callback(functools.partial(cb, 'late'))
    log('late callback added')
    await asyncio.sleep(0)
    log('end')

run(main)
