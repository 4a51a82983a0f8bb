# Edge: asyncio.sleep() and Event.wait() are coroutines, so everything that takes a coroutine
# takes them: create_task, ensure_future, gather, wait_for, shield, as_completed, TaskGroup,
# run_until_complete; the task runs them and cancelling it cancels the sleep or the wait.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(asyncio.sleep(1, 'slept'), name='sleeper')
    log('task', t.get_name(), 'done', t.done())
    log('task result', await t)
    log('gather', await asyncio.gather(asyncio.sleep(2, 'b'), asyncio.sleep(1, 'a')))
    log('gather list', await asyncio.gather(*[asyncio.sleep(d, d) for d in (0.5, 0.25)]))
    ev = asyncio.Event()
    try:
        await asyncio.wait_for(ev.wait(), 0.5)
    except asyncio.TimeoutError:
        log('wait_for event timed out')
    loop.call_later(0.25, ev.set)
    log('wait_for event ->', await asyncio.wait_for(ev.wait(), 1))
    log('shield ->', await asyncio.shield(asyncio.sleep(0.5, 'shielded')))
    for f in asyncio.as_completed([asyncio.sleep(3, 'slow'), asyncio.sleep(1, 'fast')]):
        log('as_completed', await f)
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(asyncio.sleep(1, 'in group'))
    log('task group', a.result())
    f = asyncio.ensure_future(asyncio.sleep(0, 'ensured'))
    log('ensure_future done', f.done(), 'result', await f)
    t = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log('sleep task cancelled', t.cancelled())
    ev2 = asyncio.Event()
    w = asyncio.create_task(ev2.wait())
    await asyncio.sleep(1)
    log('wait task done', w.done())
    ev2.set()
    log('wait task result', await w)

run(main)

loop = new_loop()
log('run_until_complete', loop.run_until_complete(asyncio.sleep(2, 'on its own loop')))
loop.close()
