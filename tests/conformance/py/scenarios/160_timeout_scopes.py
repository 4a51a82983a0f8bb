# Edge: asyncio.timeout(): nested scopes expiring at the same instant (the outer one reports
# TimeoutError, the inner lets CancelledError through); reschedule(None) disarms; a body that
# swallows the expiry leaves normally with expired() True; a cancel from outside stays
# CancelledError; reschedule() after exit raises RuntimeError; timeout(0) fires at the first
# await. (Entering a Timeout twice is not checked: 3.11.2 allows it, 3.11.7 raises.)
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def nested_same():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout_at(loop.time() + 1) as outer:
            try:
                async with asyncio.timeout_at(loop.time() + 1) as inner:
                    await asyncio.sleep(5)
            except asyncio.CancelledError:
                log('inner let CancelledError through, expired', inner.expired())
                raise
            except TimeoutError:
                log('inner raised TimeoutError')
    except TimeoutError:
        log('outer TimeoutError, expired', outer.expired(), 'cancelling', asyncio.current_task().cancelling())

async def disarmed():
    async with asyncio.timeout(1) as cm:
        cm.reschedule(None)
        log('when after reschedule(None)', cm.when())
        await asyncio.sleep(2)
    log('disarmed scope left, expired', cm.expired())
    try:
        cm.reschedule(5)
    except RuntimeError as e:
        log('reschedule after exit:', fmt_exc(e))

async def swallowed():
    async with asyncio.timeout(1) as cm:
        try:
            await asyncio.sleep(2)
        except asyncio.CancelledError:
            log('body swallowed the expiry')
        await asyncio.sleep(0.5)
        log('body goes on, cancelling', asyncio.current_task().cancelling())
    log('left normally, expired', cm.expired(), 'cancelling', asyncio.current_task().cancelling())
    try:
        cm.reschedule(5)
    except RuntimeError as e:
        log('reschedule after expiry:', fmt_exc(e))

async def outside():
    try:
        async with asyncio.timeout(10) as cm:
            await asyncio.sleep(20)
    except asyncio.CancelledError:
        log('outside cancel stays CancelledError, expired', cm.expired())
        raise

async def zero():
    try:
        async with asyncio.timeout(0) as cm:
            log('inside timeout(0), expired', cm.expired())
            await asyncio.sleep(0)
            log('not reached')
    except TimeoutError:
        log('timeout(0) fired at the first await, expired', cm.expired())

async def main():
    await nested_same()
    await disarmed()
    await swallowed()
    t = asyncio.create_task(outside())
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log('outside task cancelled', t.cancelled())
    await zero()

run(main)
