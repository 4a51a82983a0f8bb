# Edge: the exact str() of errors when futures and loops are mixed up: get_running_loop()
# outside a loop, running a loop while another one runs, run_until_complete / gather / wait_for
# of a future that belongs to another loop.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def main():
    try:
        asyncio.get_running_loop()
    except RuntimeError as e:
        print('get_running_loop outside:', fmt_exc(e))
    other = asyncio.new_event_loop()
    loop = new_loop()
    foreign = other.create_future()

    async def inside():
        try:
            other.run_until_complete(other.create_future())
        except RuntimeError as e:
            log('other loop inside:', fmt_exc(e))
        mine = loop.create_future()
        try:
            asyncio.gather(mine, foreign)
        except ValueError as e:
            log('gather of two loops:', fmt_exc(e))
        try:
            await asyncio.wait_for(foreign, 1)
        except ValueError as e:
            log('wait_for foreign:', fmt_exc(e))
        return 'done'

    log('inside ->', loop.run_until_complete(inside()))
    try:
        loop.run_until_complete(foreign)
    except ValueError as e:
        log('run_until_complete foreign:', fmt_exc(e))
    other.close()
    loop.close()

main()
