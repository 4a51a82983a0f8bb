# Seed (note 003, multithreading+asyncio): a second thread runs a (virtual-time) loop with
# run_forever; the main thread submits calculate() with run_coroutine_threadsafe and blocks on
# the concurrent future. tkinter dropped; all prints happen while the other thread is blocked.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
import threading

class Form:
    def __init__(self):
        self.label = "等待计算结果"

    async def calculate(self, n):
        log('calculate start', n, threading.current_thread().name)
        await asyncio.sleep(3)
        self.label = 300 * n
        log('calculate end', n)
        return self.label

    def get_loop(self, loop):
        self.loop = loop
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def change_form_state(self):
        new_loop_ = new_loop()  # 在当前线程下创建事件循环（未启用），在get_loop里面启动它
        asyncio.set_event_loop(None)
        t = threading.Thread(target=self.get_loop, args=(new_loop_,), name="loop-thread")
        t.start()
        for n in (1, 2):
            fut = asyncio.run_coroutine_threadsafe(self.calculate(n), new_loop_)
            log('main thread got', fut.result(), self.label)
        new_loop_.call_soon_threadsafe(new_loop_.stop)
        t.join()
        log('loop thread joined; loop time', f"{new_loop_.time():.3f}")
        new_loop_.close()

if __name__ == '__main__':
    form = Form()
    log(form.label)
    form.change_form_state()
