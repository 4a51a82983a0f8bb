#pragma once
// Loop options for the tests whose outcome depends on time: on the virtual
// clock a sleep ends as soon as nothing else can run, so those tests are
// instant and their times exact, whatever the machine's load.
#include "aio/aio.hpp"

namespace aio_test {

inline aio::EventLoop::Options virtual_clock() {
  aio::EventLoop::Options o;
  o.clock = aio::Clock::virtual_time;
  return o;
}

}  // namespace aio_test
