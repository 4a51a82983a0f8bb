# Seed (note 001, asyncio.gather): three factorial coroutines run concurrently by gather;
# interleaving follows the documented expected output.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def factorial(name, number):
    f = 1
    for i in range(2, number + 1):
        log(f"Task {name}: Compute factorial({i})...")
        await asyncio.sleep(1)
        f *= i
    log(f"Task {name}: factorial({number}) = {f}")
    return f

async def main():
    # Schedule three calls *concurrently*:
    res = await asyncio.gather(
        factorial("A", 2),
        factorial("B", 3),
        factorial("C", 4),
    )
    log(res)

run(main)
