# The writer side of the stream scenarios (200-215): feeds `segments` to a
# StreamReader one virtual second apart, logging each, then (unless eof is
# False) EOF a second later. Twin: cpp/stream_feeder.hpp.
import asyncio
from harness import log

async def feeder(r, segments, eof=True):
    for s in segments:
        await asyncio.sleep(1)
        log("feed", s)
        r.feed_data(s)
    if eof:
        await asyncio.sleep(1)
        log("feed_eof")
        r.feed_eof()
