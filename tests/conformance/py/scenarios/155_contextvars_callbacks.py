# Edge: contextvars in callbacks: call_soon/call_later/call_at run their callback in a copy of the
# context current when scheduled, or in the context= given; a callback's set() stays in its own
# context; Context.run, token reset errors, and add_done_callback's capture and context=.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
import contextvars
from harness import run, log, new_loop, print_exc, fmt_exc

user = contextvars.ContextVar('user')
count = contextvars.ContextVar('count', default=0)
other = contextvars.ContextVar('other', default=0)

def err(e):
    # Token and Context reprs hold addresses: keep the type and the words after the last '>'.
    msg = str(e)
    return type(e).__name__ + ':' + msg[msg.rfind('>') + 1:]

def show(label):
    log(label, user.get('nobody'), count.get())

def bump(label):
    count.set(count.get() + 1)
    show(label)

async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(show, 'soon before set')
    t_user = user.set('alice')
    loop.call_soon(show, 'soon after set')
    loop.call_later(0.2, show, 'later')
    ctx = contextvars.Context()
    log('run returns', ctx.run(lambda: (user.set('bob'), user.get())[1]))
    loop.call_soon(bump, 'bump in ctx', context=ctx)
    loop.call_soon(bump, 'bump in ctx', context=ctx)
    loop.call_soon(bump, 'bump in copy')
    loop.call_soon(bump, 'bump in copy')
    loop.call_at(loop.time() + 0.1, show, 'at in ctx', context=ctx)
    user.set('carol')
    await asyncio.sleep(0.3)
    show('main')
    log('ctx holds', ctx.get(user), ctx.get(count), len(ctx), user in ctx, count in contextvars.copy_context())

    fut = loop.create_future()
    fut.add_done_callback(lambda f: show('done captured'))
    fut.add_done_callback(lambda f: show('done in ctx'), context=ctx)
    user.set('dave')
    fut.set_result(None)
    await asyncio.sleep(0)

    t_count = count.set(10)
    t_count2 = count.set(11)
    log('old values', t_user.old_value is contextvars.Token.MISSING,
        t_count.old_value is contextvars.Token.MISSING, t_count2.old_value, t_count2.var is count)
    count.reset(t_count2)
    try:
        ctx.run(count.reset, t_count)
    except ValueError as e:
        log('reset in other context', err(e))
    try:
        other.reset(t_count)
    except ValueError as e:
        log('reset by other var', err(e))
    count.reset(t_count)
    try:
        count.reset(t_count)
    except RuntimeError as e:
        log('reset twice', err(e))
    def reenter():
        ctx.run(show, 'never')
    try:
        ctx.run(reenter)
    except RuntimeError as e:
        log('re-enter', err(e))
    try:
        contextvars.ContextVar('fresh').get()
    except LookupError as e:
        log('lookup', type(e).__name__)
    user.reset(t_user)
    show('end')

run(main)
