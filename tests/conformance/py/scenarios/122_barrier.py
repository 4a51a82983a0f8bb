# Edge: Barrier(3) used for two phases; wait() returns a distinct index per party; n_waiting.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def party(name, barrier, delays):
    for phase, d in enumerate(delays):
        await asyncio.sleep(d)
        log(name, 'arrives phase', phase, 'n_waiting', barrier.n_waiting)
        idx = await barrier.wait()
        log(name, 'passes phase', phase, 'index', idx)

async def main():
    barrier = asyncio.Barrier(3)
    await asyncio.gather(party('p0', barrier, (1, 3)), party('p1', barrier, (2, 1)),
                         party('p2', barrier, (3, 2)))
    log('parties', barrier.parties, 'broken', barrier.broken)

run(main)
