# Seed (note 003, 协程锁): one() and two() share an asyncio.Lock; two waits for one to release,
# then sees 'x' in l and returns early.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

l = []
lock = None

async def work(name):
    log('lalalalalalalala')  # 打印此信息是为了测试协程锁的控制范围
    async with lock:
        log('{} start'.format(name))  # 头一次运行该协程时打印
        if 'x' in l:  # 如果判断成功
            return name  # 直接返回结束协程，不再向下执行
        await asyncio.sleep(0); log('----------')  # 阻塞 0 秒，切换协程
        l.append('x')
        log('{} end'.format(name))
        return name

async def one():
    name = await work('one')
    log('{} ok'.format(name))

async def two():
    name = await work('two')
    log('{} ok'.format(name))

async def amain():
    global lock
    lock = asyncio.Lock()  # 协程锁
    await asyncio.wait([asyncio.ensure_future(one()), asyncio.ensure_future(two())])

def main():
    loop = new_loop()
    loop.run_until_complete(amain())

if __name__ == '__main__':
    main()
