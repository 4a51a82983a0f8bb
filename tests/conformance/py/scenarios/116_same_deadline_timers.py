# Edge: many call_later timers with equal (and interleaved) deadlines, some cancelled. The
# firing order among equal deadlines is asyncio's heapq pop order (NOT insertion order).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

order = []

def fire(name):
    order.append(name)

async def main():
    loop = asyncio.get_running_loop()
    handles = {}
    for i in range(12):
        handles[f't{i}'] = loop.call_later(1.0, fire, f't{i}')
        if i % 4 == 1:
            handles[f'e{i}'] = loop.call_later(0.5, fire, f'e{i}')
    for i in (3, 6, 10):
        handles[f't{i}'].cancel()
    log('cancelled t3', handles['t3'].cancelled(), 'when', f"{handles['t3'].when():.3f}")
    for i in range(8):
        loop.call_later(2.0, fire, f'u{i}')
    loop.call_later(2.0, fire, 'u-late').cancel()
    await asyncio.sleep(0.75)
    log('at 0.75:', ' '.join(order))
    order.clear()
    await asyncio.sleep(2)
    log('rest:', ' '.join(order))
    order.clear()
    hs = [loop.call_at(5.0, fire, f'a{i}') for i in range(6)]
    hs[0].cancel()
    loop.call_at(5.0, fire, 'a-extra')
    await asyncio.sleep(3)
    log('call_at 5.0:', ' '.join(order))

run(main)
