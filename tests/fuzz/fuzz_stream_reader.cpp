// libFuzzer target: StreamReader's readline / readuntil (one separator, and
// several together) / readexactly over a random segmentation of random
// data. The first bytes choose the limit and the segment sizes; whatever the
// split, reading lines back must give the data back unchanged (or a
// LimitOverrunError/ValueError for a long line), and with several separators
// each piece must be the shortest chunk ending with one (the earliest match).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "aio/aio.hpp"
#include "aio/net/streams.hpp"

namespace {

aio::Task<void> feed(aio::StreamReader& r, std::string data, std::vector<std::size_t> cuts) {
  std::size_t pos = 0;
  for (std::size_t cut : cuts) {
    if (pos >= data.size()) break;
    std::size_t n = std::min(cut, data.size() - pos);
    r.feed_data(std::string_view(data).substr(pos, n));
    pos += n;
    co_await aio::sleep(0);
  }
  if (pos < data.size()) r.feed_data(std::string_view(data).substr(pos));
  r.feed_eof();
}

aio::Task<void> check(std::string data, std::vector<std::size_t> cuts, std::size_t limit, int mode) {
  aio::StreamReader r(limit);
  auto feeder = aio::create_task(feed(r, data, cuts));
  std::string back;
  bool overrun = false;
  for (;;) {
    std::string piece;
    try {
      if (mode == 0) {
        piece = co_await r.readline();
      } else if (mode == 1) {
        std::string sep = "\r\n";
        piece = co_await r.readuntil(sep);
      } else if (mode == 3) {
        const std::vector<std::string> seps{"\r\n", "\n", "ab", "bab", "xyz"};
        auto reading = r.readuntil(seps);
        piece = co_await reading;
        // The shortest chunk that ends with a separator: one ends the piece,
        // and none ends before it.
        bool ends = false;
        for (const std::string& sep : seps) {
          ends = ends || piece.ends_with(sep);
          std::size_t at = piece.find(sep);
          if (at != std::string::npos && at + sep.size() < piece.size()) std::abort();
        }
        if (!ends) std::abort();
      } else {
        piece = co_await r.readexactly(7);
      }
    } catch (const aio::IncompleteReadError& e) {
      back += e.partial;
      break;
    } catch (const aio::LimitOverrunError&) {
      overrun = true;
      break;
    } catch (const aio::ValueError&) {
      overrun = true;
      break;
    }
    if (piece.empty()) break;
    back += piece;
  }
  co_await feeder;
  if (!overrun && back != data) std::abort();
  if (overrun && data.substr(0, back.size()) != back) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 3) return 0;
  std::size_t limit = 1 + bytes[0] % 64;
  int mode = bytes[1] % 4;
  std::size_t ncuts = bytes[2] % 16;
  std::vector<std::size_t> cuts;
  std::size_t i = 3;
  for (; i < size && cuts.size() < ncuts; ++i) cuts.push_back(1 + bytes[i] % 32);
  std::string data(reinterpret_cast<const char*>(bytes + i), size - i);
  aio::EventLoop::Options options;
  options.clock = aio::Clock::virtual_time;
  aio::run(check(data, cuts, limit, mode), options);
  return 0;
}
