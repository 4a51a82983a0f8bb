# Edge: contextvars in tasks: a task runs in a copy of the context current at create_task (a child
# made after a set sees it; a set in a child is invisible to its parent and siblings), gather and
# TaskGroup children copy it the same way, and create_task(context=) shares a Context.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
import contextvars
from harness import run, log, new_loop, print_exc, fmt_exc

request = contextvars.ContextVar('request', default='-')
step = contextvars.ContextVar('step')

async def worker(name, delay):
    log(name, 'start', request.get(), step.get('unset'))
    step.set(name)
    await asyncio.sleep(delay)
    log(name, 'end', request.get(), step.get())
    return name + ':' + request.get()

async def setter(value):
    request.set(value)
    await asyncio.sleep(0)
    log('setter sees', request.get())
    return value

async def nested():
    # A coroutine awaited inline runs in its task's context: its set is the task's.
    step.set('nested')
    return request.get()

async def main():
    early = asyncio.create_task(worker('early', 0.1))
    token = request.set('req-1')
    late = asyncio.create_task(worker('late', 0.1))
    log('main', request.get(), step.get('unset'))
    r = await asyncio.gather(worker('g1', 0.2), setter('req-2'), worker('g2', 0.1))
    log('gather', r[0], r[1], r[2])
    log('main after gather', request.get(), step.get('unset'))
    e = await early
    l = await late
    log('early/late', e, l)
    async with asyncio.TaskGroup() as tg:
        t1 = tg.create_task(worker('tg1', 0.1))
        request.set('req-3')
        t2 = tg.create_task(worker('tg2', 0.05))
        log('body', request.get())
    log('taskgroup', t1.result(), t2.result())
    log('nested', await nested(), step.get('unset'))
    shared = contextvars.copy_context()
    a = asyncio.get_running_loop().create_task(setter('shared-a'), name='a', context=shared)
    await a
    log('shared holds', shared.get(request), 'main has', request.get())
    b = asyncio.get_running_loop().create_task(worker('b', 0), name='b', context=shared)
    log('b result', await b)
    log('shared step', shared.get(step), 'main step', step.get('unset'))
    request.reset(token)
    log('after reset', request.get())

run(main)
