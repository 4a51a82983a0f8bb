# Edge: as_completed over bare futures resolved by call_later in reverse order yields them in
# resolution order.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    loop = asyncio.get_running_loop()
    futs = [loop.create_future() for _ in range(4)]
    for i, f in enumerate(futs):
        loop.call_later(4 - i, f.set_result, f'fut{i}')
    for f in asyncio.as_completed(futs):
        log('got', await f)

run(main)
