# Seed (note 001, loop.call_later): display_date re-arms itself every second until
# loop.time()+1 >= end_time, then stops. datetime.now() replaced by loop.time().
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

def display_date(end_time, loop):
    log(f"{loop.time():.3f}")
    if (loop.time() + 1.0) < end_time:
        loop.call_later(1, display_date, end_time, loop)
    else:
        loop.stop()

loop = new_loop()
# Schedule the first call to display_date()
end_time = loop.time() + 5.0
loop.call_soon(display_date, end_time, loop)
# Blocking call interrupted by loop.stop()
try:
    loop.run_forever()
finally:
    loop.close()
