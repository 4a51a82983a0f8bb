"""Deterministic virtual-time asyncio loop used as the conformance oracle.

The loop is a stock asyncio.SelectorEventLoop whose selector never sleeps:

* select(None)   -> real blocking select (only happens when nothing is
                    scheduled; we are waiting for another thread);
* select(t)      -> real select(0); if nothing is ready the fake clock is
                    advanced by exactly ``clock += t`` (a float addition that
                    the C++ twin mirrors bit for bit);
* while run_in_executor() work is in flight and t > 0, the selector blocks
  for real instead of advancing the clock, so executor work takes zero
  virtual time and never races a timer.

loop.time() returns the fake clock, starting at 0.0.  The clock resolution
is pinned to 1e-9 (asyncio pops timers whose ``when < time() + resolution``).
Debug mode is off.
"""
import asyncio
import selectors
import sys
import weakref
from asyncio import events

__all__ = ["VirtualLoop", "new_loop", "run", "log", "fmt_exc", "log_exc",
           "print_exc", "exc_lines"]

_current = None          # the most recently created loop (for log() outside a loop)
_task_seq = weakref.WeakKeyDictionary()
_task_counter = 0


class VirtualSelector(selectors.DefaultSelector):
    def __init__(self):
        super().__init__()
        self.clock = 0.0
        self.inflight = 0

    def select(self, timeout=None):
        if timeout is None or (timeout > 0 and self.inflight > 0):
            return super().select(None)
        ready = super().select(0)
        if not ready:
            self.clock += timeout
        return ready


def _task_factory(loop, coro, **kwargs):
    global _task_counter
    task = asyncio.Task(coro, loop=loop, **kwargs)
    _task_counter += 1
    _task_seq[task] = _task_counter
    return task


def _normalize_message(msg):
    # "Exception in callback <repr of handle with source path>" -> prefix only
    if msg and msg.startswith("Exception in callback"):
        return "Exception in callback"
    return msg


def default_handler(loop, context):
    msg = _normalize_message(context.get("message"))
    exc = context.get("exception")
    line = f"{loop.time():.3f} [exception handler] {msg}"
    if exc is not None:
        line += " | " + fmt_exc(exc)
    print(line)


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        self._vsel = VirtualSelector()
        super().__init__(selector=self._vsel)
        self._clock_resolution = 1e-9
        self.set_debug(False)
        self.set_task_factory(_task_factory)
        self.set_exception_handler(default_handler)

    def time(self):
        return self._vsel.clock

    def run_in_executor(self, executor, func, *args):
        fut = super().run_in_executor(executor, func, *args)
        self._vsel.inflight += 1

        def _done(_f, sel=self._vsel):
            sel.inflight -= 1
        fut.add_done_callback(_done)
        return fut


def new_loop():
    """Create a virtual loop and make it the current event loop."""
    global _current
    loop = VirtualLoop()
    events.set_event_loop(loop)
    _current = loop
    return loop


def _cancel_all_tasks(loop):
    # like asyncio.runners._cancel_all_tasks, but cancels in creation order
    to_cancel = sorted(asyncio.all_tasks(loop), key=lambda t: _task_seq.get(t, 0))
    if not to_cancel:
        return
    for task in to_cancel:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*to_cancel, return_exceptions=True))
    for task in to_cancel:
        if task.cancelled():
            continue
        if task.exception() is not None:
            loop.call_exception_handler({
                "message": "unhandled exception during asyncio.run() shutdown",
                "exception": task.exception(),
                "task": task,
            })


def run(main):
    """asyncio.run() equivalent on a fresh VirtualLoop.

    ``main`` is a coroutine function (called with no arguments) or a
    coroutine object.  Returns main's result; its exception propagates.
    """
    loop = new_loop()
    try:
        coro = main() if callable(main) else main
        return loop.run_until_complete(coro)
    finally:
        try:
            _cancel_all_tasks(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            events.set_event_loop(None)
            loop.close()


def _now():
    loop = events._get_running_loop() or _current
    return loop.time() if loop is not None else 0.0


def log(*parts):
    print(f"{_now():.3f} " + " ".join(str(p) for p in parts))


def fmt_exc(e):
    """``TypeName: message`` (just ``TypeName`` when str(e) is empty)."""
    msg = str(e)
    name = type(e).__name__
    return f"{name}: {msg}" if msg else name


def exc_lines(e, indent=""):
    lines = [indent + fmt_exc(e)]
    if isinstance(e, BaseExceptionGroup):
        for sub in e.exceptions:
            lines.extend(exc_lines(sub, indent + "  "))
    return lines


def print_exc(e, *prefix):
    """log() an exception; ExceptionGroups print one indented line per member."""
    lines = exc_lines(e)
    log(*prefix, lines[0])
    for line in lines[1:]:
        print(line)


log_exc = print_exc
