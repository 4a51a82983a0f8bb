# Edge: loop.stop() called from a callback lets the current batch of ready callbacks finish
# and then run_forever() returns; run_forever can be resumed; stop() before run_forever makes
# it run exactly one iteration.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def cb(loop, name, stop=False):
    log('cb', name)
    if stop:
        loop.stop()

loop = new_loop()
loop.call_soon(cb, loop, 'a')
loop.call_soon(cb, loop, 'b', True)
loop.call_soon(cb, loop, 'c')
loop.call_later(1, cb, loop, 'timer', True)
loop.run_forever()
log('run_forever returned (1)', loop.is_running())
loop.run_forever()
log('run_forever returned (2)')
loop.stop()
loop.call_soon(cb, loop, 'd')
loop.run_forever()
log('run_forever returned (3)')
loop.close()
