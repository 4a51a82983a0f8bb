# Edge: in a TaskGroup the first failure cancels the siblings (and the body); a second child
# failing during cancellation is aggregated too -> ExceptionGroup with 2 members, in order.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def fail(name, d, cleanup_fail=False):
    try:
        await asyncio.sleep(d)
        log(name, 'raising')
        raise ValueError(name)
    except asyncio.CancelledError:
        log(name, 'cancelled')
        if cleanup_fail:
            raise ZeroDivisionError(name + ' cleanup')
        raise

async def sleeper(name, d):
    # silent on cancellation: TaskGroup._abort() cancels siblings in *set* order, so only
    # one sibling per abort may print for the trace to be deterministic
    await asyncio.sleep(d)
    log(name, 'finished')

async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(sleeper('s1', 5))
            tg.create_task(fail('f1', 1))
            tg.create_task(fail('f2', 5, cleanup_fail=True))
            tg.create_task(sleeper('s2', 0.5))
            log('body waiting')
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                log('body cancelled')
                raise
    except* ValueError as eg:
        print_exc(eg, 'caught ValueError part:')
    except* ZeroDivisionError as eg:
        print_exc(eg, 'caught ZeroDivisionError part:')
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail('g1', 1))
            tg.create_task(fail('g2', 1))
    except ExceptionGroup as eg:
        print_exc(eg, 'whole group:')

run(main)
