#pragma once
// The writer side of the stream scenarios (200-215), the twin of
// py/stream_feeder.py: feeds `segments` to a StreamReader one virtual second
// apart, logging each, then (unless eof is false) EOF a second later.
#include <string>
#include <vector>

#include "aio/net/streams.hpp"
#include "harness.hpp"

namespace conformance {

inline aio::Task<void> feeder(aio::StreamReader& r, std::vector<std::string> segments, bool eof = true) {
  for (const std::string& s : segments) {
    co_await aio::sleep(1);
    log("feed", Bytes{s});
    r.feed_data(s);
  }
  if (eof) {
    co_await aio::sleep(1);
    log("feed_eof");
    r.feed_eof();
  }
}

}  // namespace conformance
