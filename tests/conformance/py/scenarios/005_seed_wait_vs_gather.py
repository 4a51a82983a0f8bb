# Seed (note 000, "asyncio.wait(tasks) 与 async.gather(*task)"): same a/b/c program run with
# asyncio.wait (returns (done, pending)) and then with asyncio.gather (returns results list).
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def a():
    log('aaa begin')
    await asyncio.sleep(0.5)
    log('aaa end ')
    return 'a'

async def b():
    log('bbb begin')
    await asyncio.sleep(0.5)
    log('bbb end ')
    return 'b'

async def c():
    log('ccc begin')
    await asyncio.sleep(0.5)
    log('ccc end')
    return 'c'

async def main():
    taskList = [asyncio.ensure_future(x()) for x in (a, b, c)]
    dones, pendings = await asyncio.wait(taskList)
    log('wait done', len(dones), 'pending', len(pendings))
    log('wait results', [t.result() for t in taskList])
    res = await asyncio.gather(a(), b(), c())
    log('gather results', res)

loop = new_loop()
loop.run_until_complete(main())
log(f"{loop.time() - 0.0:.3f}")
loop.close()
