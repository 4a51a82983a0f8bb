# Seed (note 001, loop.run_in_executor): default executor and a custom ThreadPoolExecutor.
# blocking_io read /dev/urandom and cpu_bound summed 10**7 squares; both replaced by pure
# functions (deterministic result). The ProcessPoolExecutor option is dropped (no C++ twin).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
import concurrent.futures

def blocking_io():
    # was: open('/dev/urandom').read(100)
    return bytes(range(10)).hex()

def cpu_bound():
    return sum(i * i for i in range(10 ** 4))

async def main():
    loop = asyncio.get_running_loop()
    ## Options:
    # 1. Run in the default loop's executor:
    result = await loop.run_in_executor(None, blocking_io)
    log('default thread pool', result)
    # 2. Run in a custom thread pool:
    with concurrent.futures.ThreadPoolExecutor() as pool:
        result = await loop.run_in_executor(pool, blocking_io)
        log('custom thread pool', result)
        result = await loop.run_in_executor(pool, cpu_bound)
        log('custom thread pool cpu_bound', result)

run(main)
