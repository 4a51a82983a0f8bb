# Streams: readline's limit: a line of exactly limit bytes (plus newline) passes; a longer one
# raises ValueError with readuntil's message; the overlong line is dropped up to its newline
# when the newline is buffered, and the whole buffer is cleared when it is not.
import os, sys; sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import asyncio
from harness import run, log, new_loop, print_exc, fmt_exc

async def main():
    r = asyncio.StreamReader(limit=4)
    r.feed_data(b"abcd\nabcde\nxy\n")
    log("readline", await r.readline())
    try:
        await r.readline()
    except ValueError as e:
        print_exc(e, "long line")
    log("next readline", await r.readline())
    r.feed_data(b"abcdefgh")
    try:
        await r.readline()
    except ValueError as e:
        print_exc(e, "no newline")
    log("at_eof", r.at_eof())
    r.feed_data(b"ij\nok\n")
    log("after clear", await r.readline())
    log("after clear", await r.readline())
    r.feed_data(b"abcdef\nrest")
    r.feed_eof()
    try:
        await r.readline()
    except ValueError as e:
        print_exc(e, "long line before EOF")
    log("partial", await r.readline())
    log("at EOF", await r.readline())

run(main)
