# Edge: a waiter cancelled after it was woken but before it ran: Lock and Semaphore pass the
# wakeup on (a newcomer does not jump the queue), Condition (3.11) drops the notification and
# re-acquires the lock before raising; a Condition waiter cancelled twice while re-acquiring.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def lock_user(name, lock):
    try:
        async with lock:
            log(name, 'has the lock')
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        log(name, 'cancelled, locked', lock.locked())
        raise

async def sem_user(name, sem):
    try:
        async with sem:
            log(name, 'in, locked', sem.locked())
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        log(name, 'cancelled, locked', sem.locked())
        raise

async def cond_user(name, cond):
    async with cond:
        try:
            await cond.wait()
            log(name, 'notified, locked', cond.locked())
        except asyncio.CancelledError:
            log(name, 'cancelled, holds lock', cond.locked())
            raise

async def main():
    lock = asyncio.Lock()
    await lock.acquire()
    ts = [asyncio.create_task(lock_user(f'l{i}', lock)) for i in range(3)]
    await asyncio.sleep(0)
    lock.release()
    log('released, locked', lock.locked())
    ts[0].cancel()
    ts.append(asyncio.create_task(lock_user('newcomer', lock)))
    await asyncio.gather(*ts, return_exceptions=True)
    log('lock done, locked', lock.locked())

    sem = asyncio.Semaphore(0)
    ts = [asyncio.create_task(sem_user(f's{i}', sem)) for i in range(4)]
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    log('released twice, locked', sem.locked())
    ts[0].cancel()
    ts.append(asyncio.create_task(sem_user('newcomer', sem)))
    await asyncio.sleep(0)
    log('one tick, locked', sem.locked())
    sem.release()
    await asyncio.gather(*ts, return_exceptions=True)
    log('sem done, locked', sem.locked())

    cond = asyncio.Condition()
    ts = [asyncio.create_task(cond_user(f'c{i}', cond)) for i in range(3)]
    await asyncio.sleep(0)
    async with cond:
        cond.notify(2)
        ts[0].cancel()
        log('notified 2, cancelled c0')
    await asyncio.sleep(0.1)
    log('c2 still waiting', not ts[2].done())
    async with cond:
        cond.notify_all()
    await asyncio.gather(*ts, return_exceptions=True)
    # cancelled twice: once while waiting, once while re-acquiring
    t = asyncio.create_task(cond_user('c3', cond))
    await asyncio.sleep(0)
    await cond.acquire()
    t.cancel()
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.sleep(0)
    log('c3 done', t.done())
    cond.release()
    await asyncio.gather(t, return_exceptions=True)
    log('c3 cancelled', t.cancelled(), 'locked', cond.locked())

run(main)
