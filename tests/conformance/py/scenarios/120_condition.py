# Edge: Condition notify(1), notify_all and wait_for(predicate); waiters wake in FIFO order and
# re-acquire the lock one at a time.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

state = {'n': 0}

async def waiter(name, cond):
    async with cond:
        log(name, 'waiting')
        await cond.wait()
        log(name, 'woke, n =', state['n'])

async def pred_waiter(cond):
    async with cond:
        r = await cond.wait_for(lambda: state['n'] >= 3)
        log('wait_for satisfied', r, 'n =', state['n'])

async def main():
    cond = asyncio.Condition()
    ts = [asyncio.create_task(waiter(f'w{i}', cond)) for i in range(3)]
    pt = asyncio.create_task(pred_waiter(cond))
    await asyncio.sleep(1)
    async with cond:
        state['n'] = 1
        log('notify(1)')
        cond.notify(1)
    await asyncio.sleep(1)
    async with cond:
        state['n'] = 3
        log('notify_all')
        cond.notify_all()
    await asyncio.gather(*ts, pt)
    try:
        cond.notify()
    except RuntimeError as e:
        log('notify without lock:', fmt_exc(e))

run(main)
