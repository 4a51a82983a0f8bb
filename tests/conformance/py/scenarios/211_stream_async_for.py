# Streams: "async for line in reader" yields each line as it completes over segments, ends at
# EOF after the last (partial) line, and an error set on the stream ends it with that error.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
from stream_feeder import feeder


async def main():
    r = asyncio.StreamReader()
    f = asyncio.create_task(feeder(r, [b"a\nb", b"\n", b"c\nd\ne", b"nd"]))
    async for line in r:
        log("line", line)
    log("loop done, at_eof", r.at_eof())
    await f
    r2 = asyncio.StreamReader()
    r2.feed_data(b"x\ny\n")
    r2.set_exception(ValueError("bad stream"))
    try:
        async for line in r2:
            log("r2 line", line)
    except ValueError as e:
        print_exc(e, "r2 loop")

run(main)
