# Seed (note 001, loop.call_soon): a call_soon callback prints and stops run_forever().
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def hello_world(loop):
    """A callback to print 'Hello World' and stop the event loop"""
    log('Hello World')
    loop.stop()

loop = new_loop()
# Schedule a call to hello_world()
loop.call_soon(hello_world, loop)
# Blocking call interrupted by loop.stop()
try:
    loop.run_forever()
    log('run_forever returned')
finally:
    loop.close()
    log('closed', loop.is_closed())
