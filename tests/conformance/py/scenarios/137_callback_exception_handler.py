# Edge: an exception raised by a plain callback is reported to the loop exception handler
# ("Exception in callback ...", printed by prefix only) and the loop keeps going.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def handler(loop, context):
    msg = context['message']
    log('handler:', ' '.join(msg.split(' ')[0:3]), '|', fmt_exc(context['exception']),
        '| handle key', 'handle' in context)

def bad(n):
    log('bad callback', n)
    raise ZeroDivisionError(f'callback {n} failed')

def good():
    log('good callback still runs')

async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(handler)
    loop.call_soon(bad, 1)
    loop.call_soon(good)
    loop.call_later(1, bad, 2)
    await asyncio.sleep(2)
    loop.set_exception_handler(None)
    log('handler reset', loop.get_exception_handler() is None)

run(main)
