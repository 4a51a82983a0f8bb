# Edge: the exact str() of the errors asyncio raises for misuse of the sync primitives and
# queues: Semaphore(-1), BoundedSemaphore over-release, Barrier(0), Lock.release unlocked,
# Condition wait/notify without the lock, task_done too many; Semaphore release past the
# initial value is allowed and raises the value.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        log('Semaphore(-1):', fmt_exc(e))
    s = asyncio.Semaphore(1)
    s.release()
    s.release()
    log('Semaphore(1) released twice, locked', s.locked())
    await s.acquire()
    await s.acquire()
    await s.acquire()
    log('acquired 3, locked', s.locked())
    b = asyncio.BoundedSemaphore(2)
    await b.acquire()
    b.release()
    try:
        b.release()
    except ValueError as e:
        log('BoundedSemaphore:', fmt_exc(e))
    try:
        asyncio.BoundedSemaphore(-2)
    except ValueError as e:
        log('BoundedSemaphore(-2):', fmt_exc(e))
    for n in (0, -1):
        try:
            asyncio.Barrier(n)
        except ValueError as e:
            log(f'Barrier({n}):', fmt_exc(e))
    lock = asyncio.Lock()
    try:
        lock.release()
    except RuntimeError as e:
        log('Lock.release:', fmt_exc(e))
    cond = asyncio.Condition()
    try:
        await cond.wait()
    except RuntimeError as e:
        log('Condition.wait:', fmt_exc(e))
    try:
        cond.notify_all()
    except RuntimeError as e:
        log('Condition.notify_all:', fmt_exc(e))
    q = asyncio.Queue()
    q.put_nowait(1)
    q.get_nowait()
    q.task_done()
    try:
        q.task_done()
    except ValueError as e:
        log('task_done:', fmt_exc(e))
    try:
        q.get_nowait()
    except asyncio.QueueEmpty as e:
        log('get_nowait:', fmt_exc(e))

run(main)
