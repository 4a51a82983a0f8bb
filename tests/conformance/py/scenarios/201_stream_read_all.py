# Streams: read() / read(-1) collects every segment until EOF (in limit-sized blocks, the
# limit does not cap it); at_eof() is False until EOF was fed AND the buffer is drained.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc
from stream_feeder import feeder


async def main():
    r = asyncio.StreamReader(limit=3)
    log("at_eof fresh", r.at_eof())
    f = asyncio.create_task(feeder(r, [b"one ", b"two ", b"three", b" four"]))
    data = await r.read()
    log("read()", data, len(data))
    log("at_eof", r.at_eof())
    await f
    r2 = asyncio.StreamReader()
    r2.feed_data(b"left")
    r2.feed_eof()
    log("r2 at_eof with data", r2.at_eof())
    log("r2 read(2)", await r2.read(2))
    log("r2 at_eof", r2.at_eof())
    log("r2 read(-1)", await r2.read(-1))
    log("r2 at_eof", r2.at_eof())
    log("r2 read(-1) again", await r2.read(-1))

run(main)
