# Seed (note 001, asyncio.wait_for): eternity() sleeps an hour; wait_for(timeout=1.0)
# raises TimeoutError and main prints "timeout!".
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def eternity():
    # Sleep for one hour
    try:
        await asyncio.sleep(3600)
        log('yay!')
    except asyncio.CancelledError:
        log('eternity cancelled')
        raise

async def main():
    # Wait for at most 1 second
    try:
        await asyncio.wait_for(eternity(), timeout=1.0)
    except asyncio.TimeoutError as e:
        log('timeout!', fmt_exc(e))

run(main)
