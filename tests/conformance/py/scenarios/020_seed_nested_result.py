# Seed (note 004, "协程调用协程"): main awaits result1 then result2(res1); tuple returned.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    log("主协程")
    log("等待result1协程运行")
    res1 = await result1()
    log("等待result2协程运行")
    res2 = await result2(res1)
    return (res1, res2)

async def result1():
    log("这是result1协程")
    return "result1"

async def result2(arg):
    log("这是result2协程")
    return f"result2接收了一个参数,{arg}"

if __name__ == '__main__':
    loop = new_loop()
    try:
        result = loop.run_until_complete(main())
        log(f"获取返回值:{result}")
    finally:
        log("关闭事件循环")
        loop.close()
